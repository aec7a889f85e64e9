import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Synchronization
import Testing

/// Two instances on one database share sessions, revocations, lockouts and keys.
@Suite struct MultiInstanceTests {
    /// Runs two apps on one database: a PostgreSQL scratch database, or one SQLite file.
    func withTwoInstances(
        _ db: TestDatabase,
        configure: @escaping @Sendable (inout AuthConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (TestAPI, TestAPI) async throws -> Void
    ) async throws {
        try await withTwoApps(db, configure: configure) { a, _, b, _ in try await body(a, b) }
    }

    func withTwoApps(
        _ db: TestDatabase,
        configure: @escaping @Sendable (inout AuthConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (TestAPI, AuthApp, TestAPI, AuthApp) async throws -> Void
    ) async throws {
        var configuration = testConfiguration()
        configure(&configuration)
        var scratchName: String?
        var sqliteDirectory: URL?
        if db == .postgres {
            let scratch = try await Scratch.createPostgresDatabase()
            configuration.database = .postgres(url: scratch.url)
            scratchName = scratch.name
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("authd-\(UUID().uuidString)")
            configuration.database = .sqlite(path: directory.appendingPathComponent("auth.sqlite").path)
            sqliteDirectory = directory
        }
        let config = configuration
        defer { if let sqliteDirectory { try? FileManager.default.removeItem(at: sqliteDirectory) } }
        do {
            // Both start at once: migrations, seeding and the first signing key must not collide.
            async let a = buildApplication(configuration: config)
            async let b = buildApplication(configuration: config)
            let (first, second) = try await (a, b)
            try await first.application.test(.router) { c1 in
                try await second.application.test(.router) { c2 in
                    try await body(TestAPI(client: c1), first, TestAPI(client: c2), second)
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
            for api in [a, b, a, b] {
                #expect(try await api.login(email, "wrong password entirely").status == .unauthorized)
            }
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

    /// Revocations travel as messages (PostgreSQL: NOTIFY; SQLite: the invalidation log, polled): the other instance's
    /// cache may keep entries for five minutes here, so only a message can make these pass.
    @Test(arguments: TestDatabase.all)
    func notificationsMakeRevocationImmediateOnEveryInstance(_ db: TestDatabase) async throws {
        try await withTwoApps(db, configure: { $0.stateCacheNotifiedTTLMilliseconds = 300_000 }) { a, appA, b, appB in
            #expect(
                await eventually { appA.services.invalidations.isListening && appB.services.invalidations.isListening }
            )
            let admin = try await a.admin()
            let svc = try await a.serviceClient(admin: admin.access)
            let (_, loggedOut) = try await a.newUser()
            let (disabledEmail, disabled) = try await a.newUser()
            let (_, revoked) = try await a.newUser()
            // B reads (and caches) every session and the service client.
            for tokens in [loggedOut, disabled, revoked, admin] {
                #expect(try await b.verify(tokens.access, client: svc).json["active"] as? Bool == true)
            }
            #expect(try await a.call(.post, "/auth/logout", token: loggedOut.access).status == .noContent)
            let disabledID = try #require(try await appA.services.store.users.find(email: disabledEmail)?.id)
            #expect(
                try await a.call(.put, "/admin/users/\(disabledID)", json: ["is_active": false], token: admin.access)
                    .status == .ok
            )
            let sessions = try await a.call(.get, "/auth/sessions", token: revoked.access).items
            let sessionID = try #require(sessions.first?["id"] as? String)
            #expect(
                try await a.call(.delete, "/auth/sessions/\(sessionID)", token: revoked.access).status == .noContent
            )
            for tokens in [loggedOut, disabled, revoked] {
                #expect(
                    await eventually {
                        (try? await b.verify(tokens.access, client: svc).json["active"] as? Bool) == false
                    }
                )
            }
            // A deleted service client is refused on B too.
            let clients = try await a.call(.get, "/admin/service-clients", token: admin.access).items
            let clientRow = try #require(clients.first { $0["client_id"] as? String == svc.id }?["id"] as? String)
            #expect(
                try await a.call(.delete, "/admin/service-clients/\(clientRow)", token: admin.access).status
                    == .noContent
            )
            #expect(await eventually { (try? await b.verify(admin.access, client: svc).status) == .unauthorized })
        }
    }

    /// A personal access token revoked (or narrowed by a role change) on one instance is refused (or narrowed) on the
    /// other at once, though B may keep its cached state for five minutes.
    @Test(arguments: TestDatabase.all)
    func personalTokenRevocationCrossesInstances(_ db: TestDatabase) async throws {
        try await withTwoApps(db, configure: { $0.stateCacheNotifiedTTLMilliseconds = 300_000 }) { a, appA, b, appB in
            #expect(
                await eventually { appA.services.invalidations.isListening && appB.services.invalidations.isListening }
            )
            let admin = try await a.admin()
            let svc = try await a.serviceClient(admin: admin.access)
            let (_, user) = try await a.newUser()
            let created = try await a.call(
                .post,
                "/auth/tokens",
                json: ["name": "ci", "permissions": [String]()],
                token: user.access
            )
            let pat = try #require(created.string("token"))
            let id = try #require(created.string("id"))
            // B reads (and caches) the token.
            #expect(try await b.verify(pat, client: svc).json["active"] as? Bool == true)
            #expect(try await a.call(.delete, "/auth/tokens/\(id)", token: user.access).status == .noContent)
            #expect(
                await eventually { (try? await b.verify(pat, client: svc).json["active"] as? Bool) == false }
            )
        }
    }

    /// The invariants hold across instances too: two administrators disabling each other through two instances at
    /// once leave one standing, and a burst of wrong passwords split over two instances gets at most the configured
    /// number of password checks.
    @Test(arguments: TestDatabase.all)
    func invariantsHoldAcrossInstances(_ db: TestDatabase) async throws {
        try await withTwoApps(db, configure: { $0.loginMaxFailures = 5 }) { a, appA, b, _ in
            let root = try await a.admin()
            let second = uniqueEmail()
            #expect(
                try await a.call(
                    .post,
                    "/admin/users",
                    json: ["email": second, "password": defaultPassword, "roles": ["admin"]],
                    token: root.access
                ).status == .created
            )
            for round in 0..<4 {
                let first = try await a.loginTokens(adminEmail, adminPassword)
                let other = try await b.loginTokens(second)
                async let one = a.call(
                    .put,
                    "/admin/users/\(other.userID)",
                    json: ["is_active": false],
                    token: first.access
                )
                async let two = b.call(
                    .put,
                    "/admin/users/\(first.userID)",
                    json: ["is_active": false],
                    token: other.access
                )
                let statuses = [try await one.status, try await two.status]
                #expect(statuses.filter { $0 == .ok }.count <= 1, "round \(round): \(statuses)")
                #expect(!(try await appA.services.store.users.superAdminIDs()).isEmpty, "round \(round)")
                for (api, tokens, id) in [(a, first, other.userID), (b, other, first.userID)] {
                    _ = try await api.call(.put, "/admin/users/\(id)", json: ["is_active": true], token: tokens.access)
                }
            }
            // The per-email budget is in the database: 20 wrong passwords at once over both instances.
            let (email, _) = try await a.newUser()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<20 {
                    let api = i.isMultiple(of: 2) ? a : b
                    group.addTask { try await api.login(email, "wrong password entirely").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 15)
        }
    }

    /// The notification is part of the change's transaction: PostgreSQL delivers it at commit (SQLite's log row is
    /// visible at commit), and never for a change that was rolled back (so no instance drops its cache for nothing,
    /// and none hears of a change before it is visible).
    @Test(arguments: TestDatabase.all)
    func aNotificationTravelsOnlyWithACommittedTransaction(_ db: TestDatabase) async throws {
        struct RolledBack: Error {}
        try await withTwoApps(db) { _, appA, _, appB in
            let hub = appB.services.invalidations
            #expect(await eventually { appA.services.invalidations.isListening && hub.isListening })
            let before = hub.generation
            await #expect(throws: RolledBack.self) {
                try await appA.services.store.transaction { tx in
                    try await tx.announce(.all)
                    throw RolledBack()
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(hub.generation == before)
            let gate = Mutex(false)
            try await appA.services.store.transaction { tx in
                try await tx.announce(.all)
                // Not delivered while the transaction is open.
                try await Task.sleep(for: .milliseconds(300))
                gate.withLock { $0 = hub.generation == before }
            }
            #expect(gate.withLock { $0 })
            #expect(await eventually { hub.generation != before })
        }
    }

    /// A listener whose connection dies empties the caches, falls back to the short TTL and reconnects.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aLostListenerConnectionIsReplaced(_ db: TestDatabase) async throws {
        try await withTwoApps(db, configure: { $0.stateCacheNotifiedTTLMilliseconds = 300_000 }) { a, appA, b, appB in
            #expect(
                await eventually { appA.services.invalidations.isListening && appB.services.invalidations.isListening }
            )
            let (_, tokens) = try await a.newUser()
            #expect(try await b.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let sql = appA.database.database as! any SQLDatabase
            let before = appB.services.invalidations.generation
            try await sql.raw(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = \(bind: PostgresInvalidationListener.applicationName)
                """
            ).run()
            // Both drop their caches (the generation moves) and listen again.
            #expect(await eventually { appB.services.invalidations.generation != before })
            #expect(
                await eventually { appA.services.invalidations.isListening && appB.services.invalidations.isListening }
            )
            #expect(try await a.call(.post, "/auth/logout", token: tokens.access).status == .noContent)
            #expect(
                await eventually { (try? await b.call(.get, "/auth/me", token: tokens.access).status) == .unauthorized }
            )
        }
    }
}

/// Polls `condition` every 20 ms for up to `seconds`: for effects that travel between instances.
func eventually(seconds: Double = 5, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
