import AuthCore
import AuthHTTP
import AuthPersistence
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Two instances on one database share sessions, revocations, lockouts and keys.
@Suite struct MultiInstanceTests {
    /// Runs two apps on one database: a PostgreSQL scratch database, or one SQLite file.
    func withTwoInstances(_ db: TestDatabase, configure: @escaping @Sendable (inout AuthConfiguration) -> Void = { _ in },
                          _ body: @Sendable @escaping (TestAPI, TestAPI) async throws -> Void) async throws {
        var configuration = testConfiguration()
        configure(&configuration)
        var scratchName: String?
        if db == .postgres {
            let scratch = try await Scratch.createPostgresDatabase()
            configuration.database = .postgres(url: scratch.url)
            scratchName = scratch.name
        } else {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("authd-\(UUID().uuidString)/auth.sqlite").path
            configuration.database = .sqlite(path: path)
        }
        let config = configuration
        do {
            // Both start at once: migrations, seeding and the first signing key must not collide.
            async let a = buildApplication(configuration: config)
            async let b = buildApplication(configuration: config)
            let (first, second) = try await (a, b)
            try await first.application.test(.router) { c1 in
                try await second.application.test(.router) { c2 in
                    try await body(TestAPI(client: c1), TestAPI(client: c2))
                }
            }
        } catch {
            if let scratchName { await Scratch.dropPostgresDatabase(scratchName) }
            throw error
        }
        if let scratchName { await Scratch.dropPostgresDatabase(scratchName) }
    }

    @Test(arguments: TestDatabase.all)
    func revocationOnOneInstanceIsSeenByTheOtherWithinASecond(_ db: TestDatabase) async throws {
        try await withTwoInstances(db) { a, b in
            let (_, tokens) = try await a.newUser()
            #expect(try await b.call(.get, "/auth/me", token: tokens.access).status == .ok)
            #expect(try await a.call(.post, "/auth/logout", token: tokens.access).status == .noContent)
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await b.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await b.refresh(tokens.refresh).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func lockoutIsSharedByEveryInstance(_ db: TestDatabase) async throws {
        try await withTwoInstances(db, configure: { $0.loginMaxFailures = 4 }) { a, b in
            let (email, _) = try await a.newUser()
            for api in [a, b, a, b] { #expect(try await api.login(email, "wrong password entirely").status == .unauthorized) }
            #expect(try await a.login(email).status == .tooManyRequests)
            #expect(try await b.login(email).status == .tooManyRequests)
        }
    }

    @Test(arguments: TestDatabase.all)
    func instancesStartingTogetherShareOneSigningKey(_ db: TestDatabase) async throws {
        try await withTwoInstances(db) { a, b in
            let (email, _) = try await a.newUser()
            let keysA = try await a.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? []
            let keysB = try await b.call(.get, "/.well-known/jwks.json").json["keys"] as? [[String: String]] ?? []
            #expect(keysA.count == 1 && keysA.map { $0["kid"] } == keysB.map { $0["kid"] })
            // Seeding and the bootstrap admin happened once.
            let admin = try await b.admin().access
            #expect(try await a.call(.get, "/admin/roles", token: admin).items.count == 2)
            #expect(try await a.call(.get, "/admin/users?role=admin", token: admin)["total"] as? Int == 1)
            let tokens = try await b.loginTokens(email)
            #expect(try await a.call(.get, "/auth/me", token: tokens.access).status == .ok)
        }
    }
}
