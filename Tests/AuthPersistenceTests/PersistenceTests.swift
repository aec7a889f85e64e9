import AuthCore
import AuthPersistence
import AuthTestSupport
import Foundation
import SQLKit
import Testing

@Suite struct MigrationTests {
    func tables(_ service: DatabaseService) async throws -> Set<String> {
        let sql = service.database as! any SQLDatabase
        struct Row: Decodable { var name: String }
        let query: SQLQueryString =
            service.isPostgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'"
        return Set(try await sql.raw(query).all(decoding: Row.self).map(\.name))
    }

    static let expected: Set<String> = [
        "users", "roles", "user_roles", "sessions", "refresh_tokens", "signing_keys", "audit_events",
        "service_clients", "login_throttle",
    ]

    @Test(arguments: TestDatabase.all)
    func migrationsGoUpDownAndUpAgain(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            try await service.migrate()
            #expect(Self.expected.isSubset(of: try await tables(service)))
            try await service.migrate(revert: true)
            #expect(Self.expected.isDisjoint(with: try await tables(service)))
            try await service.migrate()
            #expect(Self.expected.isSubset(of: try await tables(service)))
            // Running again with nothing pending is a no-op.
            try await service.migrate()
        }
    }

    @Test(arguments: TestDatabase.all)
    func seedingTwiceLeavesOneOfEachRole(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            try await service.migrate()
            let store = service.store()
            try await store.roles.seed(Role.seeded)
            try await store.roles.seed(Role.seeded)
            let roles = try await store.roles.all()
            #expect(roles == [Role.admin, Role.user])
        }
    }
}

@Suite struct RepositoryTests {
    func user(_ email: String, roles: [String] = ["user"]) -> User {
        User(email: email, passwordHash: "$2b$04$hash", createdAt: Date(), updatedAt: Date(), roles: roles)
    }

    func prepared(_ service: DatabaseService) async throws -> SQLAuthStore {
        try await service.migrate()
        let store = service.store()
        try await store.roles.seed(Role.seeded)
        return store
    }

    @Test(arguments: TestDatabase.all)
    func emailIsUnique(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            try await store.users.create(user("dup@example.com"))
            await #expect(throws: AuthError.emailTaken) { try await store.users.create(user("dup@example.com")) }
            var other = user("other@example.com")
            try await store.users.create(other)
            other.email = "dup@example.com"
            await #expect(throws: AuthError.emailTaken) { try await store.users.update(other) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func permissionsRoundTripAsJSON(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            let role = Role(
                name: "reporting",
                description: "Reports \"quoted\"",
                permissions: ["reports:*", "users:read", "ünï:côde"]
            )
            try await store.roles.create(role)
            #expect(
                try await store.roles.find(name: "reporting")
                    == Role(
                        name: "reporting",
                        description: role.description,
                        permissions: role.permissions.sorted()
                    )
            )
            let u = user("perm@example.com", roles: ["user", "reporting"])
            try await store.users.create(u)
            #expect(try await store.users.permissions(userID: u.id) == ["reports:*", "users:read", "ünï:côde"])
            if service.isPostgres {
                struct Row: Decodable { var kind: String }
                let kind = try await (service.database as! any SQLDatabase)
                    .raw("SELECT jsonb_typeof(permissions) AS kind FROM roles WHERE name = 'reporting'").first(
                        decoding: Row.self
                    )
                #expect(kind?.kind == "array")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAUserCascadesToRolesSessionsAndTokens(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            let u = user("gone@example.com", roles: ["admin", "user"])
            try await store.users.create(u)
            let now = Date()
            let session = Session(
                userID: u.id,
                createdAt: now,
                lastUsedAt: now,
                expiresAt: now.addingTimeInterval(3600)
            )
            try await store.sessions.create(session, refreshTokenHash: SecureToken.hash("r1"))
            #expect(try await store.roles.members(of: "admin") == [u.id])
            #expect(try await store.users.delete(id: u.id))
            #expect(try await store.roles.members(of: "admin").isEmpty)
            #expect(try await store.sessions.find(id: session.id) == nil)
            #expect(try await store.sessions.findRefreshToken(hash: SecureToken.hash("r1")) == nil)
            #expect(try await store.users.delete(id: u.id) == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefreshTokenCanBeClaimedOnlyOnceEvenConcurrently(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            let u = user("race@example.com")
            try await store.users.create(u)
            let now = Date()
            let session = Session(
                userID: u.id,
                createdAt: now,
                lastUsedAt: now,
                expiresAt: now.addingTimeInterval(3600)
            )
            try await store.sessions.create(session, refreshTokenHash: "h1")
            // Sixteen rotations of one token at once: one wins, and only its successor exists.
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for n in 0..<16 {
                    group.addTask {
                        let rotated = try await store.sessions.rotateRefreshToken(
                            hash: "h1",
                            at: now,
                            successor: UUID(),
                            successorHash: "h2-\(n)"
                        )
                        return rotated == nil ? nil : "h2-\(n)"
                    }
                }
                return try await group.reduce(into: [String]()) { if let hash = $1 { $0.append(hash) } }
            }
            #expect(winners.count == 1)
            let successorHash = try #require(winners.first)
            let record = try #require(try await store.sessions.findRefreshToken(hash: "h1"))
            #expect(record.rotatedAt != nil && record.successorUnused == true)
            #expect(try await store.sessions.findRefreshToken(hash: successorHash)?.id == record.replacedBy)
            _ = try #require(
                try await store.sessions.rotateRefreshToken(
                    hash: successorHash,
                    at: now,
                    successor: UUID(),
                    successorHash: "h3"
                )
            )
            #expect(try await store.sessions.findRefreshToken(hash: "h1")?.successorUnused == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentLoginFailuresAreEachCounted(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            let throttle = LoginThrottle(maxFailures: 1000, lockoutSeconds: 900)
            let now = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        _ = try await store.loginThrottle.modify(key: "k") { throttle.failing($0, now: now) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.loginThrottle.state(key: "k")?.failures == 20)
            try await store.loginThrottle.reset(key: "k")
            #expect(try await store.loginThrottle.state(key: "k") == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionStateJoinsUserAndCurrentRoles(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            let store = try await prepared(service)
            let u = user("state@example.com", roles: ["admin", "user"])
            try await store.users.create(u)
            let now = Date()
            let session = Session(
                userID: u.id,
                createdAt: now,
                lastUsedAt: now,
                expiresAt: now.addingTimeInterval(3600),
                ip: "127.0.0.1"
            )
            try await store.sessions.create(session, refreshTokenHash: "x")
            var state = try #require(try await store.sessions.state(sessionID: session.id))
            #expect(
                state.roles == ["admin", "user"] && state.permissions == ["*"] && state.userActive
                    && state.email == "state@example.com"
            )
            try await store.users.setRoles(userID: u.id, roles: ["user"])
            state = try #require(try await store.sessions.state(sessionID: session.id))
            #expect(state.roles == ["user"] && state.permissions.isEmpty)
            #expect(try await store.sessions.revoke(id: session.id, reason: "test", at: now))
            #expect(try await store.sessions.revoke(id: session.id, reason: "again", at: now) == false)
            #expect(try await store.sessions.state(sessionID: session.id)?.session.revokedAt != nil)
        }
    }
}
