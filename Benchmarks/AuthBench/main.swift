import AuthCore
import AuthPersistence
import Foundation
import HummingbirdBcrypt
import Logging

/// Micro-benchmarks of the costs behind authd's hot paths. Prints a Markdown table: time per operation on one
/// thread, best of three runs. `authd-bench mint-sessions COUNT FILE` seeds sessions instead (MintSessions.swift).
func measure(_ iterations: Int, _ body: () async throws -> Void) async rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = ContinuousClock.now
        for _ in 0..<iterations { try await body() }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        best = min(best, seconds / Double(iterations) * 1000)
    }
    return best
}

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "mint-sessions", let count = Int(arguments[2]) {
    try await mintSessions(count: count, file: arguments[3])
    exit(0)
}

var rows: [(String, Double)] = []
let now = Int(Date().timeIntervalSince1970)
let claims = AccessTokenClaims(
    iss: "http://bench",
    aud: "authd",
    sub: UUID().uuidString,
    exp: now + 900,
    iat: now,
    nbf: now,
    jti: UUID().uuidString,
    sid: UUID().uuidString,
    email: "bench@example.com",
    roles: ["user"],
    permissions: []
)
for algorithm in [AuthConfiguration.JWTAlgorithmName.es256, .eddsa, .rs256, .hs256] {
    let material =
        algorithm == .hs256 ? String(repeating: "s", count: 48) : try SigningKey.generateMaterial(for: algorithm)
    let key = try await SigningKey.load(kid: "bench", algorithm: algorithm, material: material, createdAt: Date())
    let token = try await key.sign(claims)
    rows.append(
        (
            "JWT sign \(algorithm.rawValue)",
            try await measure(algorithm == .rs256 ? 50 : 500) { _ = try await key.sign(claims) }
        )
    )
    rows.append(("JWT verify \(algorithm.rawValue)", try await measure(500) { _ = try await key.verify(token) }))
}
for cost in [10, 12] {
    let hash = Bcrypt.hash("bench passphrase", cost: UInt8(cost))
    rows.append(
        (
            "bcrypt cost \(cost)",
            await measure(cost == 12 ? 4 : 10) { _ = Bcrypt.verify("bench passphrase", hash: hash) }
        )
    )
}

// Refresh rotation through the real service on an in-memory SQLite store (no HTTP).
var configuration = AuthConfiguration.testing()
configuration.bootstrapAdminEmail = nil
var logger = Logger(label: "bench")
logger.logLevel = .error
let database = try DatabaseService(configuration: configuration, logger: logger)
let services = try AuthServices(configuration: configuration, store: database.store(), logger: logger)
try await database.migrate(then: { try await services.bootstrap() })
_ = try await services.accounts.register(
    RegistrationInput(email: "rotate@example.com", password: "bench passphrase"),
    meta: RequestMeta()
)
var token = try await services.login.login(
    email: "rotate@example.com",
    password: "bench passphrase",
    meta: RequestMeta()
).refreshToken
rows.append(
    (
        "refresh rotation (SQLite, in memory)",
        try await measure(200) {
            token = try await services.refresh.refresh(token: token, meta: RequestMeta()).refreshToken
        }
    )
)
await database.shutdown()

print("| operation | ms per op (one thread) | ops/s |")
print("|---|---:|---:|")
for (name, ms) in rows {
    print(String(format: "| %@ | %.3f | %.0f |", name, ms, 1000 / ms))
}
