import AuthCore
import AuthPersistence
import Foundation
import Logging

/// `authd-bench mint-sessions COUNT FILE`: `COUNT` live sessions of `COUNT / 10` users, straight into the database
/// that `DATABASE_URL` names (migrated and bootstrapped as the server would), and one access token per session,
/// signed with the database's key, written to `FILE` a line each. `bench/run --sessions` uses it: logging in
/// 200,000 times over HTTP at bcrypt cost 12 would take hours. Users have the `user` role; emails are
/// `mint-N@example.com`.
func mintSessions(count: Int, file: String) async throws {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let configuration = try AuthConfiguration.fromEnvironment()
    let database = try DatabaseService(configuration: configuration, logger: logger)
    let services = try AuthServices(configuration: configuration, store: database.store(), logger: logger)
    try await database.migrate(then: { try await services.bootstrap() })
    let store = services.store
    let now = Date()
    let hash = try await BcryptPasswordHasher(cost: 4, threads: 1).hash("bench passphrase 12345")
    let users = (0..<max(1, count / 10)).map { i in
        User(
            email: "mint-\(i)@example.com",
            passwordHash: hash,
            isVerified: true,
            createdAt: now,
            updatedAt: now,
            roles: [Role.user.name]
        )
    }
    let batch = 2_000
    for start in stride(from: 0, to: users.count, by: batch) {
        let slice = Array(users[start..<min(users.count, start + batch)])
        try await store.transaction { tx in
            for user in slice {
                try await tx.users.create(user)
                try await tx.users.setRoles(userID: user.id, roles: user.roles)
            }
        }
    }
    let sessions = (0..<count).map { i in
        Session(
            userID: users[i % users.count].id,
            createdAt: now,
            lastUsedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(configuration.refreshTokenTTL))
        )
    }
    for start in stride(from: 0, to: sessions.count, by: batch) {
        let slice = Array(sessions[start..<min(sessions.count, start + batch)])
        try await store.transaction { tx in
            for session in slice {
                try await tx.sessions.create(session, refreshTokenHash: SecureToken.hash(SecureToken.generate()))
            }
        }
    }
    var lines: [String] = []
    lines.reserveCapacity(count)
    for (i, session) in sessions.enumerated() {
        let user = users[i % users.count]
        let signed = try await services.tokens.sign(
            userID: user.id,
            sessionID: session.id,
            email: user.email,
            roles: user.roles,
            permissions: []
        )
        lines.append(signed.token)
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    await database.shutdown()
}
