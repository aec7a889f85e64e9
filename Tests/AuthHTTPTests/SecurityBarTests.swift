import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// Lines of the security bar that no other suite shows on its own, on SQLite and PostgreSQL.
@Suite struct SecurityBarTests {
    /// A locked account and a locked email with no account answer alike: status, body (but the request id) and
    /// headers, so the lockout tells nobody which emails exist.
    @Test(arguments: TestDatabase.all)
    func lockedAccountsAndLockedUnknownEmailsAnswerAlike(_ database: TestDatabase) async throws {
        try await withApp(database, configure: { $0.loginMaxFailures = 2 }) { api, _ in
            let (email, _) = try await api.newUser()
            var answers: [HTTPResult] = []
            for target in [email, "nobody-\(UUID().uuidString.prefix(6))@example.com"] {
                for _ in 0..<2 {
                    #expect(try await api.login(target, "wrong password entirely").status == .unauthorized)
                }
                answers.append(try await api.login(target, "wrong password entirely"))
            }
            func comparable(_ r: HTTPResult) -> [String: String] {
                var body = r.json
                body["request_id"] = nil
                return [
                    "status": String(r.status.code),
                    "body": String(
                        decoding: try! JSONSerialization.data(withJSONObject: body, options: .sortedKeys),
                        as: UTF8.self
                    ),
                    "type": r.header("Content-Type") ?? "",
                ]
            }
            #expect(answers[0].status == .tooManyRequests)
            #expect(comparable(answers[0]) == comparable(answers[1]))
            // Both say when to retry; the two lockouts began moments apart, so the waits may differ by the seconds
            // that passed between them (a few on a loaded machine), never by more.
            let waits = answers.compactMap { $0.header("Retry-After").flatMap { Int($0) } }
            #expect(waits.count == 2 && waits.allSatisfy { $0 > 0 } && abs(waits[0] - waits[1]) <= 5, "\(waits)")
            // A disabled account with the right password answers as a wrong password does.
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDisabledAccountAnswersLikeAWrongPassword(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let (email, user) = try await api.newUser()
            #expect(
                try await api.call(.put, "/admin/users/\(user.userID)", json: ["is_active": false], token: admin.access)
                    .status == .ok
            )
            let disabled = try await api.login(email)
            let wrong = try await api.login(uniqueEmail(), "wrong password entirely")
            #expect(
                disabled.status == .unauthorized && disabled.code == wrong.code
                    && disabled.string("detail") == wrong.string("detail")
            )
        }
    }

    /// Without `AUTH_BOOTSTRAP_ADMIN_*` there is no account at all, and nobody holds `*`.
    @Test(arguments: TestDatabase.all)
    func noDefaultAccounts(_ database: TestDatabase) async throws {
        let noBootstrap: (inout AuthConfiguration) -> Void = { configuration in
            configuration.bootstrapAdminEmail = nil
            configuration.bootstrapAdminPassword = nil
        }
        try await withApp(database, configure: noBootstrap) { (api: TestAPI, app: AuthApp) async throws -> Void in
            #expect(try await app.services.store.users.list(UserQuery()).total == 0)
            #expect(try await app.services.store.users.superAdminIDs().isEmpty)
            for email in ["admin@example.com", "admin", "root@localhost", adminEmail] {
                #expect(try await api.login(email, "admin").status == .unauthorized)
            }
        }
    }

    /// An administrator's password reset ends the user's sessions: its access and refresh tokens stop at once.
    @Test(arguments: TestDatabase.all)
    func anAdminPasswordResetEndsEverySessionAtOnce(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, user) = try await api.newUser()
            #expect(try await api.verify(user.access, client: svc)["active"] as? Bool == true)
            let reset = try await api.call(
                .put,
                "/admin/users/\(user.userID)",
                json: ["password": "a brand new passphrase"],
                token: admin.access
            )
            #expect(reset.status == .ok, "\(reset.text)")
            #expect(try await api.call(.get, "/auth/me", token: user.access).status == .unauthorized)
            #expect(try await api.verify(user.access, client: svc).text == #"{"active":false}"#)
            #expect(try await api.refresh(user.refresh).status == .unauthorized)
            #expect(try await api.login(email).status == .unauthorized)
            #expect(try await api.login(email, "a brand new passphrase").status == .ok)
        }
    }

    /// Per-IP throttling is audited: one event for a burst of refusals, not one per request.
    @Test(arguments: TestDatabase.all)
    func aRateLimitBurstIsAuditedOnce(_ database: TestDatabase) async throws {
        try await withApp(
            database,
            clock: ManualClock(),
            configure: {
                $0.rateLimitEnabled = true
                $0.rateLimits.register = 2
            }
        ) { api, _ in
            for _ in 0..<2 { #expect(try await api.register().status == .created) }
            for _ in 0..<5 { #expect(try await api.register().status == .tooManyRequests) }
            let admin = try await api.admin()
            let events = try await api.call(.get, "/admin/audit-events?action=rate_limit.exceeded", token: admin.access)
            #expect(events.items.count == 1, "\(events.text)")
            let details = events.items.first?["details"] as? [String: String]
            #expect(details?["limit"] == "register" && details?["per_minute"] == "2")
        }
    }
}
