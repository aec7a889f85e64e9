import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import Testing

@Suite struct LoginTests {
    @Test(arguments: TestDatabase.all)
    func loginReturnsATokenPairAndRecordsTheLogin(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let email = uniqueEmail()
            #expect(try await api.register(email).status == .created)
            let r = try await api.login(email.uppercased())
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.string("token_type") == "Bearer" && r["expires_in"] as? Int == 900)
            #expect(r["refresh_expires_in"] as? Int == 2_592_000)
            #expect((r.string("refresh_token")?.count ?? 0) >= 43)
            #expect(r.header("Cache-Control") == "no-store")
            let me = try await api.call(.get, "/auth/me", token: r.string("access_token"))
            #expect(me.status == .ok && me.string("email") == email && me.string("last_login_at") != nil)
            let stored = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "login.succeeded"
                    return q
                }()
            )
            #expect(stored.total == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func failuresLookTheSameForWrongPasswordUnknownEmailAndDisabledAccount(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (email, _) = try await api.newUser()
            let disabled = try await api.newUser()
            let admin = try await api.admin()
            let id = try #require(try await app.services.store.users.find(email: disabled.email)?.id)
            #expect(
                try await api.call(.put, "/admin/users/\(id)", json: ["is_active": false], token: admin.access).status
                    == .ok
            )
            let answers = [
                try await api.login(email, "wrong password entirely"),
                try await api.login("nobody-\(UUID())@example.com", "wrong password entirely"),
                try await api.login(disabled.email, defaultPassword),
                try await api.login("not even an email", "wrong password entirely"),
            ]
            for r in answers {
                #expect(r.status == .unauthorized && r.code == "invalid_credentials")
                var body = r.json
                body["request_id"] = nil
                var first = answers[0].json
                first["request_id"] = nil
                #expect(NSDictionary(dictionary: body).isEqual(to: first))
            }
            let failed = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "login.failed"
                    return q
                }()
            )
            #expect(failed.total == 4)
            #expect(!failed.items.contains { $0.details.values.contains { $0.contains("wrong password") } })
        }
    }

    /// An unknown email costs what a wrong password costs: exactly one bcrypt comparison, against a real hash at
    /// the configured cost. Shown by recording the comparisons, not by timing them.
    @Test func unknownEmailCostsOneBcryptComparisonLikeAWrongPassword() async throws {
        final class RecordingHasher: PasswordHasher {
            let inner: BcryptPasswordHasher
            let compared = Mutex<[String]>([])
            init(_ inner: BcryptPasswordHasher) { self.inner = inner }
            func hash(_ password: String) async throws -> String { try await inner.hash(password) }
            func verify(_ password: String, hash: String) async throws -> Bool {
                compared.withLock { $0.append(hash) }
                return try await inner.verify(password, hash: hash)
            }
        }
        try await withDatabase(.sqlite) { database in
            let configuration = AuthConfiguration.testing()
            let recording = RecordingHasher(BcryptPasswordHasher(cost: configuration.bcryptCost))
            let services = try AuthServices(
                configuration: configuration,
                store: database.store(),
                logger: Logger(label: "test"),
                passwordHasher: recording
            )
            try await database.migrate(then: { try await services.bootstrap() })
            let email = uniqueEmail()
            _ = try await services.accounts.register(
                RegistrationInput(email: email, password: defaultPassword),
                meta: RequestMeta()
            )
            let stored = try #require(try await services.store.users.find(email: email)?.passwordHash)
            for attempt in [email, "nobody-\(UUID())@example.com"] {
                recording.compared.withLock { $0.removeAll() }
                await #expect(throws: AuthError.invalidCredentials) {
                    try await services.login.login(
                        email: attempt,
                        password: "wrong password entirely",
                        meta: RequestMeta()
                    )
                }
                let compared = recording.compared.withLock { $0 }
                let costPrefix = String(format: "$2b$%02d$", configuration.bcryptCost)
                if attempt == email {
                    #expect(compared == [stored])
                } else {
                    // The stand-in is a real bcrypt hash at the configured cost, so comparing against it takes as long.
                    #expect(
                        compared.count == 1 && compared != [stored] && compared[0].hasPrefix(costPrefix),
                        "\(compared)"
                    )
                }
            }
            #expect(stored.hasPrefix(String(format: "$2b$%02d$", configuration.bcryptCost)))
        }
    }

    @Test(arguments: TestDatabase.all)
    func lockoutAfterMaxFailuresEvenForTheRightPasswordAndAlikeForUnknownEmails(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(
            db,
            clock: clock,
            configure: {
                $0.loginMaxFailures = 3
                $0.loginLockoutSeconds = 600
            }
        ) { api, app in
            let (email, _) = try await api.newUser()
            let unknown = "ghost-\(UUID())@example.com"
            for target in [email, unknown] {
                for _ in 0..<3 {
                    #expect(try await api.login(target, "wrong password entirely").status == .unauthorized)
                }
                let locked = try await api.login(target, defaultPassword)
                #expect(locked.status == .tooManyRequests && locked.code == "login_throttled")
                #expect(locked.header("Retry-After") == "600")
            }
            let throttled = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "login.throttled"
                    return q
                }()
            )
            #expect(throttled.total >= 2)
            clock.advance(by: 601)
            #expect(try await api.login(email).status == .ok)
        }
    }

    @Test func successResetsTheFailureCount() async throws {
        try await withApp(.sqlite, configure: { $0.loginMaxFailures = 3 }) { api, _ in
            let (email, _) = try await api.newUser()
            for _ in 0..<2 { _ = try await api.login(email, "wrong password entirely") }
            #expect(try await api.login(email).status == .ok)
            for _ in 0..<2 { _ = try await api.login(email, "wrong password entirely") }
            #expect(try await api.login(email).status == .ok)
        }
    }

    @Test func perIPRateLimitAnswers429WithHeaders() async throws {
        try await withApp(
            .sqlite,
            clock: ManualClock(),
            configure: {
                $0.rateLimitEnabled = true
                $0.rateLimits.login = 3
            }
        ) { api, _ in
            for i in 0..<3 {
                let r = try await api.login("x@example.com", "wrong password entirely")
                #expect(r.status == .unauthorized && r.header("RateLimit-Remaining") == String(2 - i))
            }
            let ok = try await api.call(.get, "/health")
            #expect(ok.header("RateLimit-Limit") == nil)
            let r = try await api.login("x@example.com", "wrong password entirely")
            #expect(r.status == .tooManyRequests && r.code == "rate_limited")
            #expect(
                r.header("Retry-After") == "20" && r.header("RateLimit-Limit") == "3"
                    && r.header("RateLimit-Remaining") == "0"
            )
        }
    }
}

@Suite struct LongPasswordLoginTests {
    /// bcrypt reads only 72 bytes: a longer password that starts with the real one must not log in.
    @Test func passwordsOver72BytesNeverMatch() async throws {
        try await withApp(.sqlite) { api, _ in
            let password = String(repeating: "ab", count: 36)  // exactly 72 bytes
            let (email, _) = try await api.newUser(password: password)
            #expect(try await api.login(email, password).status == .ok)
            let r = try await api.login(email, password + "anything")
            #expect(r.status == .unauthorized && r.code == "invalid_credentials")
        }
    }
}
