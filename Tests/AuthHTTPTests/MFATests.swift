import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// TOTP as a second factor, end to end over HTTP with a clock the test moves, on SQLite and PostgreSQL. The test
/// plays the authenticator app with the secret the enrolment answered.
@Suite struct MFATests {
    struct Enrolled {
        let email: String
        let tokens: Tokens
        let totp: TOTP
        let recoveryCodes: [String]
    }

    static func code(_ totp: TOTP, _ clock: ManualClock, offset: Int64 = 0) -> String {
        totp.code(step: TOTP.step(at: clock.now()) + offset)
    }

    /// A new user with TOTP on.
    static func enrolled(_ api: TestAPI, _ clock: ManualClock) async throws -> Enrolled {
        let (email, tokens) = try await api.newUser()
        let begin = try await api.call(
            .post,
            "/auth/mfa/totp",
            json: ["current_password": defaultPassword],
            token: tokens.access
        )
        #expect(begin.status == .ok, "\(begin.text)")
        let totp = try #require(begin.string("secret").flatMap(TOTP.init(base32:)))
        let confirm = try await api.call(
            .post,
            "/auth/mfa/totp/confirm",
            json: ["code": code(totp, clock)],
            token: tokens.access
        )
        #expect(confirm.status == .ok, "\(confirm.text)")
        let codes = confirm.json["recovery_codes"] as? [String] ?? []
        clock.advance(by: 30)  // the confirming code's step is spent
        return Enrolled(email: email, tokens: tokens, totp: totp, recoveryCodes: codes)
    }

    static func mfaToken(_ api: TestAPI, _ email: String) async throws -> String {
        let r = try await api.login(email)
        #expect(r.status == .forbidden && r.code == "mfa_required" && r["access_token"] == nil, "\(r.text)")
        return try #require(r.string("mfa_token"))
    }

    static func verify(
        _ api: TestAPI,
        _ token: String,
        code: String? = nil,
        recovery: String? = nil
    ) async throws
        -> HTTPResult
    {
        var body: [String: any Sendable] = ["mfa_token": token]
        if let code { body["code"] = code }
        if let recovery { body["recovery_code"] = recovery }
        return try await api.call(.post, "/auth/mfa/verify", json: body)
    }

    @Test(arguments: TestDatabase.all)
    func enrolmentThenLoginWithASecondFactor(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, tokens) = try await api.newUser()
            // The current password guards enrolment.
            let wrong = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": "not my password"],
                token: tokens.access
            )
            #expect(wrong.status == .unprocessableContent && wrong.code == "invalid_current_password")
            let begin = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": defaultPassword],
                token: tokens.access
            )
            let secret = try #require(begin.string("secret"))
            #expect(try #require(Base32.decode(secret)).count == 20)
            let uri = try #require(begin.string("otpauth_uri"))
            #expect(
                uri.hasPrefix("otpauth://totp/authd:") && uri.contains("secret=\(secret)")
                    && uri.contains("issuer=authd")
            )
            let totp = try #require(TOTP(base32: secret))
            // Pending: the password alone still logs in.
            #expect(try await api.login(email).status == .ok)
            let badConfirm = try await api.call(
                .post,
                "/auth/mfa/totp/confirm",
                json: ["code": "000000"],
                token: tokens.access
            )
            #expect(badConfirm.status == .unprocessableContent && badConfirm.code == "invalid_mfa_code")
            let confirm = try await api.call(
                .post,
                "/auth/mfa/totp/confirm",
                json: ["code": Self.code(totp, clock)],
                token: tokens.access
            )
            let codes = try #require(confirm.json["recovery_codes"] as? [String])
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(codes.allSatisfy { $0.wholeMatch(of: /[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}/) != nil })
            #expect(try await api.call(.get, "/auth/me", token: tokens.access)["mfa_enabled"] as? Bool == true)
            // A second enrolment is refused while one is active.
            let again = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": defaultPassword],
                token: tokens.access
            )
            #expect(again.status == .conflict && again.code == "mfa_already_enabled")

            // Login: the password step answers a challenge, not tokens.
            clock.advance(by: 30)
            let challenge = try await Self.mfaToken(api, email)
            let bad = try await Self.verify(api, challenge, code: "123456")
            #expect(bad.status == .unauthorized && bad.code == "invalid_mfa_code")
            let good = try await Self.verify(api, challenge, code: Self.code(totp, clock))
            #expect(good.status == .ok && good.header("Cache-Control") == "no-store", "\(good.text)")
            let access = try #require(good.string("access_token"))
            let me = try await api.call(.get, "/auth/me", token: access)
            #expect(me["aal"] as? Int == 2 && me["amr"] as? [String] == ["pwd", "otp"])
            let v = try await api.verify(access, client: svc)
            #expect(v["aal"] as? Int == 2 && v["amr"] as? [String] == ["pwd", "otp"])
            #expect(
                try await api.call(
                    .post,
                    "/auth/verify",
                    json: ["token": access, "required_aal": 2],
                    headers: Self.basic(svc)
                )["allowed"] as? Bool == true
            )
            // The password-only session is aal 1: a step-up check refuses it.
            let weak = try await api.call(
                .post,
                "/auth/verify",
                json: ["token": tokens.access, "required_aal": 2],
                headers: Self.basic(svc)
            )
            #expect(weak["active"] as? Bool == true && weak["aal"] as? Int == 1 && weak["allowed"] as? Bool == false)
            // The token is single use.
            #expect(try await Self.verify(api, challenge, code: Self.code(totp, clock)).code == "invalid_mfa_token")
            // A code is never accepted twice, even for another login within its step.
            let other = try await Self.mfaToken(api, email)
            #expect(try await Self.verify(api, other, code: Self.code(totp, clock)).code == "invalid_mfa_code")
            // The next step's code works (one step of skew).
            #expect(try await Self.verify(api, other, code: Self.code(totp, clock, offset: 1)).status == .ok)
            // A wrong password still says only that.
            let wrongPassword = try await api.login(email, "wrong password entirely")
            #expect(wrongPassword.status == .unauthorized && wrongPassword.code == "invalid_credentials")
            #expect(wrongPassword["mfa_token"] == nil)
        }
    }

    static func basic(_ svc: (id: String, secret: String)) -> HTTPFields {
        [.authorization: "Basic " + Data("\(svc.id):\(svc.secret)".utf8).base64EncodedString()]
    }

    @Test(arguments: TestDatabase.all)
    func aChallengeDiesAfterFiveTriesOrFiveMinutes(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock, configure: { $0.loginMaxFailures = 100 }) { api, _ in
            let user = try await Self.enrolled(api, clock)
            let tried = try await Self.mfaToken(api, user.email)
            for _ in 0..<5 { #expect(try await Self.verify(api, tried, code: "000000").code == "invalid_mfa_code") }
            #expect(try await Self.verify(api, tried, code: Self.code(user.totp, clock)).code == "invalid_mfa_token")
            let stale = try await Self.mfaToken(api, user.email)
            clock.advance(by: 301)
            #expect(try await Self.verify(api, stale, code: Self.code(user.totp, clock)).code == "invalid_mfa_token")
            #expect(try await Self.verify(api, "garbage", code: "123456").code == "invalid_mfa_token")
            let neither = try await api.call(.post, "/auth/mfa/verify", json: ["mfa_token": stale])
            #expect(neither.status == .unprocessableContent)
        }
    }

    /// Wrong codes spend the per-email budget of the password step.
    @Test(arguments: TestDatabase.all)
    func wrongCodesCountTowardTheLockout(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock, configure: { $0.loginMaxFailures = 3 }) { api, _ in
            let user = try await Self.enrolled(api, clock)
            let first = try await Self.mfaToken(api, user.email)
            for _ in 0..<2 { #expect(try await Self.verify(api, first, code: "000000").code == "invalid_mfa_code") }
            let locked = try await Self.verify(api, first, code: Self.code(user.totp, clock))
            #expect(locked.status == .tooManyRequests && locked.code == "login_throttled", "\(locked.text)")
            #expect(try await api.login(user.email).code == "login_throttled")
        }
    }

    @Test(arguments: TestDatabase.all)
    func recoveryCodesAreSingleUseEvenUnderConcurrency(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock, configure: { $0.loginMaxFailures = 100 }) { api, app in
            let user = try await Self.enrolled(api, clock)
            let code = user.recoveryCodes[0]
            var challenges: [String] = []
            for _ in 0..<8 { challenges.append(try await Self.mfaToken(api, user.email)) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for challenge in challenges {
                    group.addTask { try await Self.verify(api, challenge, recovery: code.uppercased()).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .unauthorized }.count == 7)
            let admin = try await api.admin()
            let audit = try await api.call(
                .get,
                "/admin/audit-events?action=mfa.recovery_code_used",
                token: admin.access
            )
            #expect(
                audit.items.count == 1
                    && (audit.items.first?["details"] as? [String: String])?["recovery_codes_left"] == "9"
            )
            let userID = try #require(UUID(uuidString: user.tokens.userID))
            #expect(try await app.services.store.mfa.unusedRecoveryCodes(userID: userID) == 9)
            // Regenerating needs a TOTP code; the old codes die.
            let refused = try await api.call(
                .post,
                "/auth/mfa/recovery-codes",
                json: ["code": "000000"],
                token: user.tokens.access
            )
            #expect(refused.status == .unprocessableContent)
            let fresh = try await api.call(
                .post,
                "/auth/mfa/recovery-codes",
                json: ["code": Self.code(user.totp, clock)],
                token: user.tokens.access
            )
            let codes = try #require(fresh.json["recovery_codes"] as? [String])
            #expect(codes.count == 10 && Set(codes).isDisjoint(with: user.recoveryCodes))
            let challenge = try await Self.mfaToken(api, user.email)
            #expect(try await Self.verify(api, challenge, recovery: user.recoveryCodes[1]).code == "invalid_mfa_code")
            #expect(try await Self.verify(api, challenge, recovery: codes[0]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func disablingNeedsThePasswordAndACodeAndEndsOtherSessions(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock) { api, _ in
            let user = try await Self.enrolled(api, clock)
            let challenge = try await Self.mfaToken(api, user.email)
            let other = try #require(
                try await Self.verify(api, challenge, code: Self.code(user.totp, clock)).string("access_token")
            )
            clock.advance(by: 30)
            let noCode = try await api.call(
                .delete,
                "/auth/mfa/totp",
                json: ["current_password": defaultPassword, "code": "000000"],
                token: user.tokens.access
            )
            #expect(noCode.status == .unprocessableContent && noCode.code == "invalid_mfa_code")
            let noPassword = try await api.call(
                .delete,
                "/auth/mfa/totp",
                json: ["current_password": "nope nope nope", "code": Self.code(user.totp, clock)],
                token: user.tokens.access
            )
            #expect(noPassword.code == "invalid_current_password")
            let done = try await api.call(
                .delete,
                "/auth/mfa/totp",
                json: ["current_password": defaultPassword, "code": Self.code(user.totp, clock)],
                token: user.tokens.access
            )
            #expect(done.status == .noContent, "\(done.text)")
            #expect(try await api.call(.get, "/auth/me", token: other).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: user.tokens.access).status == .ok)
            #expect(try await api.login(user.email).status == .ok)
        }
    }

    /// An administrator resets a user's MFA under the delegation rule; a personal access token cannot enrol.
    @Test(arguments: TestDatabase.all)
    func adminResetAndWhatATokenCannotDo(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock) { api, _ in
            let admin = try await api.admin()
            let user = try await Self.enrolled(api, clock)
            let helpdesk = try await DelegationTests.delegate(
                api,
                admin: admin,
                role: "helpdesk-\(UUID().uuidString.prefix(6).lowercased())",
                permissions: ["users:read", "users:write"]
            )
            let adminID = try #require(try await api.call(.get, "/auth/me", token: admin.access).string("id"))
            let refused = try await api.call(.delete, "/admin/users/\(adminID)/mfa", token: helpdesk.access)
            #expect(refused.status == .forbidden && refused.code == "insufficient_privileges")
            #expect(
                try await api.call(.delete, "/admin/users/\(user.tokens.userID)/mfa", token: helpdesk.access).status
                    == .noContent
            )
            #expect(try await api.login(user.email).status == .ok)
            let twice = try await api.call(.delete, "/admin/users/\(user.tokens.userID)/mfa", token: admin.access)
            #expect(twice.status == .conflict && twice.code == "mfa_not_enabled")
            let audit = try await api.call(.get, "/admin/audit-events?action=mfa.reset", token: admin.access)
            #expect(audit.items.count == 1)

            let pat = try #require(
                try await api.call(
                    .post,
                    "/auth/tokens",
                    json: ["name": "ci", "permissions": [String]()],
                    token: user.tokens.access
                )
                .string("token")
            )
            let viaToken = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": defaultPassword],
                token: pat
            )
            #expect(viaToken.status == .forbidden && viaToken.code == "session_required")
        }
    }

    /// With AUTH_ENCRYPTION_KEY, the TOTP secret is stored sealed.
    @Test(arguments: TestDatabase.all)
    func theSecretIsEncryptedAtRest(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        let key = Data(repeating: 9, count: 32).base64EncodedString()
        try await withApp(database, clock: clock, configure: { $0.encryptionKey = key }) { api, app in
            let user = try await Self.enrolled(api, clock)
            let userID = try #require(UUID(uuidString: user.tokens.userID))
            let stored = try #require(try await app.services.store.mfa.totp(userID: userID))
            #expect(stored.secret.hasPrefix(SecretBox.prefix) && !stored.secret.contains(Base32.encode(user.totp.key)))
            let challenge = try await Self.mfaToken(api, user.email)
            #expect(try await Self.verify(api, challenge, code: Self.code(user.totp, clock)).status == .ok)
        }
    }
}

/// Step-up by role: a role marked `requires_mfa` gives its permissions only to sessions at aal 2, everywhere: the
/// admin routes, /auth/verify, the access token's claims and personal access tokens.
@Suite struct StepUpTests {
    @Test(arguments: TestDatabase.all)
    func aRoleRequiringMFAGrantsOnlyAtAAL2(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock, configure: { $0.loginMaxFailures = 100 }) { api, _ in
            let svc = try await api.serviceClient(admin: try await api.admin().access)
            let role =
                [
                    "name": "payroll-\(UUID().uuidString.prefix(6).lowercased())", "description": "pay",
                    "permissions": ["users:read"], "requires_mfa": true,
                ] as [String: any Sendable]
            // An administrator without a second factor cannot mark a role so (it could lock itself out).
            let weak = try await api.call(.post, "/admin/roles", json: role, token: try await api.admin().access)
            #expect(weak.status == .forbidden && weak.code == "step_up_required", "\(weak.text)")
            // The administrator enrols and signs in with TOTP: now it can.
            let admin = try await api.admin()
            let begin = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": adminPassword],
                token: admin.access
            )
            let adminTOTP = try #require(begin.string("secret").flatMap(TOTP.init(base32:)))
            _ = try await api.call(
                .post,
                "/auth/mfa/totp/confirm",
                json: ["code": MFATests.code(adminTOTP, clock)],
                token: admin.access
            )
            clock.advance(by: 30)
            let challenge = try #require(try await api.login(adminEmail, adminPassword).string("mfa_token"))
            let adminStrong = try #require(
                try await MFATests.verify(api, challenge, code: MFATests.code(adminTOTP, clock)).string("access_token")
            )

            let created = try await api.call(.post, "/admin/roles", json: role, token: adminStrong)
            #expect(created.status == .created && created["requires_mfa"] as? Bool == true, "\(created.text)")

            // A user holding the role, signed in with a password only: the role gives nothing.
            let user = try await MFATests.enrolled(api, clock)
            let roles = ["user", role["name"] as! String]
            #expect(
                try await api.call(
                    .put,
                    "/admin/users/\(user.tokens.userID)",
                    json: ["roles": roles],
                    token: adminStrong
                ).status == .ok
            )
            let passwordOnly = try await api.loginTokensSkippingMFA(user.email, clock: clock, totp: nil)
            #expect(passwordOnly == nil)  // TOTP is on: the password alone is no session
            let weakSession = user.tokens.access  // from before TOTP was on: aal 1
            #expect(try await api.call(.get, "/admin/users", token: weakSession).status == .forbidden)
            let v1 = try await api.verify(weakSession, client: svc, required: ["users:read"])
            #expect(v1["allowed"] as? Bool == false && !(v1["permissions"] as? [String] ?? []).contains("users:read"))
            #expect(
                !(try await api.call(.get, "/auth/me", token: weakSession)["permissions"] as? [String] ?? []).contains(
                    "users:read"
                )
            )

            // With the second factor: the role counts, in the routes, in verify and in the token itself.
            clock.advance(by: 30)
            let strong = try #require(try await api.loginTokensSkippingMFA(user.email, clock: clock, totp: user.totp))
            #expect(try await api.call(.get, "/admin/users", token: strong).status == .ok)
            let v2 = try await api.verify(strong, client: svc, required: ["users:read"])
            #expect(v2["allowed"] as? Bool == true && v2["aal"] as? Int == 2)
            let claims = try #require(
                strong.split(separator: ".").dropFirst().first.flatMap { Data(base64URLEncoded: String($0)) }
            )
            let payload = try #require(try JSONSerialization.jsonObject(with: claims) as? [String: Any])
            #expect((payload["permissions"] as? [String] ?? []).contains("users:read") && payload["aal"] as? Int == 2)

            // A personal access token is aal 1: the role gives it nothing, even when its list names the permission.
            let pat = try #require(
                try await api.call(
                    .post,
                    "/auth/tokens",
                    json: ["name": "ci", "permissions": ["users:read"]],
                    token: strong
                )
                .string("token")
            )
            #expect(try await api.call(.get, "/admin/users", token: pat).status == .forbidden)
        }
    }
}

extension TestAPI {
    /// A login that answers the second step with `totp` when asked; nil when asked and `totp` is nil.
    func loginTokensSkippingMFA(_ email: String, clock: ManualClock, totp: TOTP?) async throws -> String? {
        let first = try await login(email)
        if first.status == .ok { return first.string("access_token") }
        guard first.code == "mfa_required", let totp, let token = first.string("mfa_token") else { return nil }
        return try await MFATests.verify(self, token, code: MFATests.code(totp, clock)).string("access_token")
    }
}
