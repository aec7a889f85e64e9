import AuthCore
import AuthMail
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// Email verification and password recovery end to end over HTTP, on SQLite and PostgreSQL, with the tests' own
/// inbox as the transport.
@Suite struct EmailTests {
    @Test(arguments: TestDatabase.all)
    func registrationMailVerifiesByLinkOnce(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, app in
            let (email, tokens) = try await api.newUser()
            let mail = try #require(try await inbox.waitFor("verify-email", to: email).last)
            let token = try #require(mail.linkToken)
            #expect(mail.text.contains("http://authd.test/verify-email#token=\(token)"))
            #expect(mail.html?.contains(token) == true)
            let verified = try await api.call(.post, "/auth/email/verify", json: ["token": token])
            #expect(verified.status == .ok && verified["is_verified"] as? Bool == true, "\(verified.text)")
            let me = try await api.call(.get, "/auth/me", token: tokens.access)
            #expect(me["is_verified"] as? Bool == true)
            // Single use.
            let again = try await api.call(.post, "/auth/email/verify", json: ["token": token])
            #expect(again.status == .badRequest && again.code == "invalid_or_expired_code", "\(again.text)")
            let events = try await app.services.store.audit.list(AuditQuery.action("email.verified"))
            #expect(events.items.count == 1)
            // Nothing stored or audited holds the token or the code.
            let audit = try await app.services.store.audit.list(AuditQuery.action(nil)).items
            #expect(!audit.contains { e in e.details.values.contains { $0.contains(token) || $0 == mail.code } })
        }
    }

    @Test(arguments: TestDatabase.all)
    func fiveWrongCodesEndTheRequest(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, _) = try await api.newUser()
            let code = try #require(try await inbox.waitFor("verify-email", to: email).last?.code)
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<EmailToken.maxCodeAttempts {
                let r = try await api.call(.post, "/auth/email/verify", json: ["email": email, "code": wrong])
                #expect(r.status == .badRequest && r.code == "invalid_or_expired_code")
            }
            let right = try await api.call(.post, "/auth/email/verify", json: ["email": email, "code": code])
            #expect(right.status == .badRequest && right.code == "invalid_or_expired_code", "\(right.text)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func verificationByCodeAndMalformedForms(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, _) = try await api.newUser()
            let code = try #require(try await inbox.waitFor("verify-email", to: email).last?.code)
            let both = try await api.call(
                .post,
                "/auth/email/verify",
                json: ["token": "x", "email": email, "code": code]
            )
            #expect(both.status == .unprocessableContent, "\(both.text)")
            let none = try await api.call(.post, "/auth/email/verify", json: [:])
            #expect(none.status == .unprocessableContent, "\(none.text)")
            let letters = try await api.call(.post, "/auth/email/verify", json: ["email": email, "code": "abcdef"])
            #expect(letters.code == "invalid_or_expired_code")
            let huge = try await api.call(
                .post,
                "/auth/email/verify",
                json: ["token": String(repeating: "a", count: 5000)]
            )
            #expect(huge.status == .unprocessableContent)
            let unknown = try await api.call(.post, "/auth/email/verify", json: ["email": uniqueEmail(), "code": code])
            #expect(unknown.status == .badRequest && unknown.code == "invalid_or_expired_code")
            let ok = try await api.call(.post, "/auth/email/verify", json: ["email": email.uppercased(), "code": code])
            #expect(ok.status == .ok && ok["is_verified"] as? Bool == true, "\(ok.text)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func forgotAndResetByCodeRevokesEverySession(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, app in
            // Six digits in the address: a client takes the first six-digit run of the text as the code.
            let (email, tokens) = try await api.newUser(
                email: "reset-654321-\(UUID().uuidString.prefix(8))@example.com"
            )
            let unknown = uniqueEmail()
            let a = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
            let b = try await api.call(.post, "/auth/password/forgot", json: ["email": unknown])
            #expect(a.status == .accepted && b.status == .accepted && a.text == b.text && a.text == "{}", "\(a.text)")
            let mail = try #require(try await inbox.waitFor("password-reset", to: email).last)
            let code = try #require(mail.code)
            #expect(inbox.mails(to: unknown).isEmpty)
            let weak = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["email": email, "code": code, "new_password": "short"]
            )
            #expect(weak.status == .unprocessableContent, "\(weak.text)")
            let reset = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["email": email, "code": code, "new_password": "a fresh start passphrase"]
            )
            #expect(reset.status == .noContent, "\(reset.text)")
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
            #expect(try await api.login(email).status == .unauthorized)
            #expect(try await api.login(email, "a fresh start passphrase").status == .ok)
            let replay = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["email": email, "code": code, "new_password": "another new passphrase"]
            )
            #expect(replay.status == .badRequest && replay.code == "invalid_or_expired_code")
            let notice = try #require(try await inbox.waitFor("password-changed", to: email).last)
            #expect(!notice.text.contains(code) && notice.linkToken == nil && !(notice.html ?? "").contains(code))
            let audited = try await app.services.store.audit.list(AuditQuery.action("password.reset")).items
            #expect(audited.count == 1 && audited.first?.details["sessions_revoked"] == "1")
        }
    }

    @Test(arguments: TestDatabase.all)
    func resetByLinkKeepsTheLinkWhenThePasswordIsRefusedAndANewRequestEndsTheOld(_ database: TestDatabase) async throws
    {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, _) = try await api.newUser()
            _ = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
            let first = try #require(try await inbox.waitFor("password-reset", to: email).last?.linkToken)
            _ = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
            let second = try #require(try await inbox.waitFor("password-reset", to: email, count: 2).last?.linkToken)
            #expect(first != second)
            let old = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["token": first, "new_password": "a fresh start passphrase"]
            )
            #expect(old.code == "invalid_or_expired_code", "\(old.text)")
            let weak = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["token": second, "new_password": "password"]
            )
            #expect(weak.status == .unprocessableContent)
            let ok = try await api.call(
                .post,
                "/auth/password/reset",
                json: ["token": second, "new_password": "a fresh start passphrase"]
            )
            #expect(ok.status == .noContent, "\(ok.text)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentResetsWithOneCodeSucceedOnce(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, _) = try await api.newUser()
            _ = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
            let code = try #require(try await inbox.waitFor("password-reset", to: email).last?.code)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await api.call(
                            .post,
                            "/auth/password/reset",
                            json: ["email": email, "code": code, "new_password": "racing passphrase number \(i)"]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .noContent }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .noContent || $0 == .badRequest }, "\(statuses)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func perAddressLimitDropsMailSilently(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox, configure: { $0.mail.perAddressPerMinute = 1 }) { api, app in
            let (email, _) = try await api.newUser()
            for _ in 0..<3 {
                let r = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
                #expect(r.status == .accepted && r.text == "{}")
            }
            _ = try await inbox.waitFor("password-reset", to: email)
            _ = await app.runtime.mailWorker.runOnce()
            #expect(inbox.mails(to: email).filter { $0.kind == "password-reset" }.count == 1)
            let limited = try await app.services.store.audit.list(AuditQuery.action("password.reset_requested")).items
            #expect(limited.filter { $0.details["reason"] == "mail_limit" }.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func emailChangeNotifiesTheOldAddressAndVerifiesTheNew(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, tokens) = try await api.newUser()
            let fresh = uniqueEmail()
            let r = try await api.call(
                .put,
                "/auth/me",
                json: ["email": fresh, "current_password": defaultPassword],
                token: tokens.access
            )
            #expect(r.status == .ok && r["is_verified"] as? Bool == false, "\(r.text)")
            let notice = try #require(try await inbox.waitFor("email-changed", to: email).last)
            #expect(
                notice.text.contains(fresh) && notice.linkToken == nil && !notice.text.lowercased().contains(" code")
            )
            let verification = try #require(try await inbox.waitFor("verify-email", to: fresh).last?.linkToken)
            let ok = try await api.call(.post, "/auth/email/verify", json: ["token": verification])
            #expect(ok.status == .ok && ok["email"] as? String == fresh, "\(ok.text)")
            // The registration mail proved the old address, not the new one.
            let old = try #require(try await inbox.waitFor("verify-email", to: email).first?.linkToken)
            let stale = try await api.call(.post, "/auth/email/verify", json: ["token": old])
            #expect(stale.code == "invalid_or_expired_code")
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordChangeSendsANotice(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let (email, tokens) = try await api.newUser()
            let r = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": defaultPassword, "new_password": "another good passphrase"],
                token: tokens.access
            )
            #expect(r.status == .noContent, "\(r.text)")
            let notice = try #require(try await inbox.waitFor("password-changed", to: email).last)
            #expect(notice.linkToken == nil && !notice.text.lowercased().contains(" code"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func verificationRequiredRefusesUnverifiedLogins(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox, configure: { $0.mail.verificationRequired = true }) { api, _ in
            let email = uniqueEmail()
            #expect(try await api.register(email).status == .created)
            let refused = try await api.login(email)
            #expect(refused.status == .forbidden && refused.code == "email_not_verified", "\(refused.text)")
            #expect(refused["access_token"] == nil)
            let wrong = try await api.login(email, "not the password at all")
            #expect(wrong.status == .unauthorized && wrong.code == "invalid_credentials")
            let token = try #require(try await inbox.waitFor("verify-email", to: email).last?.linkToken)
            #expect(try await api.call(.post, "/auth/email/verify", json: ["token": token]).status == .ok)
            #expect(try await api.login(email).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func resendWithoutASessionAnswersLikeForgot(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox, configure: { $0.mail.verificationRequired = true }) { api, _ in
            let email = uniqueEmail()
            #expect(try await api.register(email).status == .created)
            let first = try #require(try await inbox.waitFor("verify-email", to: email).last)
            #expect(first.text.contains("24 hours"), "\(first.text)")
            let known = try await api.call(.post, "/auth/email/resend", json: ["email": email])
            let unknown = try await api.call(.post, "/auth/email/resend", json: ["email": uniqueEmail()])
            #expect(known.status == .accepted && unknown.status == .accepted && known.text == unknown.text)
            let second = try #require(try await inbox.waitFor("verify-email", to: email, count: 2).last?.linkToken)
            let stale = try await api.call(.post, "/auth/email/verify", json: ["token": first.linkToken ?? ""])
            #expect(stale.code == "invalid_or_expired_code")
            #expect(try await api.call(.post, "/auth/email/verify", json: ["token": second]).status == .ok)
            #expect(try await api.login(email).status == .ok)
            // Verified: nothing more is sent.
            #expect(try await api.call(.post, "/auth/email/resend", json: ["email": email]).status == .accepted)
            try await Task.sleep(for: .milliseconds(200))
            #expect(inbox.mails(to: email).filter { $0.kind == "verify-email" }.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func adminSendsResetAndVerificationUnderDelegation(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(database, mail: inbox) { api, _ in
            let admin = try await api.admin()
            let (email, tokens) = try await api.newUser()
            let reset = try await api.call(.post, "/admin/users/\(tokens.userID)/password-reset", token: admin.access)
            #expect(reset.status == .accepted, "\(reset.text)")
            _ = try await inbox.waitFor("password-reset", to: email)
            let verify = try await api.call(
                .post,
                "/admin/users/\(tokens.userID)/email-verification",
                token: admin.access
            )
            #expect(verify.status == .accepted, "\(verify.text)")
            // A helpdesk role with users:write but not `*` cannot send a reset to the administrator.
            let role = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "helpdesk", "permissions": ["users:read", "users:write"]],
                token: admin.access
            )
            #expect(role.status == .created, "\(role.text)")
            let (helperEmail, helper) = try await api.newUser()
            _ = try await api.call(
                .put,
                "/admin/users/\(helper.userID)",
                json: ["roles": ["user", "helpdesk"]],
                token: admin.access
            )
            let helperTokens = try await api.loginTokens(helperEmail)
            let me = try await api.call(.get, "/auth/me", token: admin.access)
            let adminID = try #require(me.string("id"))
            let refused = try await api.call(
                .post,
                "/admin/users/\(adminID)/password-reset",
                token: helperTokens.access
            )
            #expect(refused.status == .forbidden && refused.code == "insufficient_privileges", "\(refused.text)")
            #expect(inbox.mails(to: adminEmail).isEmpty)
            let user = try await api.call(.post, "/admin/users/\(tokens.userID)/password-reset", token: tokens.access)
            #expect(user.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func failedMailsAreRetriedThenGivenUpAndShownToAdmins(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        let clock = ManualClock()
        try await withApp(database, clock: clock, mail: inbox) { api, app in
            let admin = try await api.admin()
            inbox.fail(1, with: .transient("SMTP 451 after RCPT"))
            let (email, _) = try await api.newUser()
            // The first attempt failed: the mail waits for its retry.
            var pending = try await api.call(.get, "/admin/mail-outbox?status=pending", token: admin.access)
            for _ in 0..<100 where pending.items.isEmpty || pending.items.first?["last_error"] is NSNull {
                try await Task.sleep(for: .milliseconds(20))
                pending = try await api.call(.get, "/admin/mail-outbox?status=pending", token: admin.access)
            }
            #expect(
                pending.items.first?["last_error"] as? String == "transient: SMTP 451 after RCPT",
                "\(pending.text)"
            )
            #expect(inbox.mails(to: email).isEmpty)
            clock.advance(by: 31)
            #expect(await app.runtime.mailWorker.runOnce() == 1)
            #expect(inbox.mails(to: email).count == 1)
            let sent = try await api.call(.get, "/admin/mail-outbox?status=sent", token: admin.access)
            let row = try #require(sent.items.first { $0["to"] as? String == email })
            #expect(
                row["attempts"] as? Int == 2 && row["message_id"] as? String == inbox.mails(to: email).first?.messageID
            )
            // The sent mail's token is gone from the database.
            let id = try #require(UUID(uuidString: row["id"] as? String ?? ""))
            #expect(try await app.services.store.outbox.find(id: id)?.payload == nil)

            inbox.fail(1, with: .permanent("SMTP 550 after RCPT"))
            let other = try await api.call(.post, "/auth/password/forgot", json: ["email": email])
            #expect(other.status == .accepted)
            var failed = try await api.call(.get, "/admin/mail-outbox?status=failed", token: admin.access)
            for _ in 0..<100 where failed.items.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                _ = await app.runtime.mailWorker.runOnce()
                failed = try await api.call(.get, "/admin/mail-outbox?status=failed", token: admin.access)
            }
            #expect(failed.items.first?["kind"] as? String == "password-reset", "\(failed.text)")
            let audit = try await app.services.store.audit.list(AuditQuery.action("mail.failed")).items
            #expect(audit.count == 1 && audit.first?.details["kind"] == "password-reset")
            let plain = try await api.call(.get, "/admin/mail-outbox", token: (try await api.newUser()).tokens.access)
            #expect(plain.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func recoveryCodeUseAndAdminMFAResetAreMailed(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        let clock = ManualClock()
        try await withApp(database, clock: clock, mail: inbox) { api, _ in
            let enrolled = try await MFATests.enrolled(api, clock)
            let token = try await MFATests.mfaToken(api, enrolled.email)
            let r = try await MFATests.verify(api, token, recovery: enrolled.recoveryCodes[0])
            #expect(r.status == .ok, "\(r.text)")
            let used = try #require(try await inbox.waitFor("recovery-code-used", to: enrolled.email).last)
            #expect(used.text.contains("left: 9") && !used.text.contains(enrolled.recoveryCodes[0]))
            let admin = try await api.admin()
            let reset = try await api.call(.delete, "/admin/users/\(enrolled.tokens.userID)/mfa", token: admin.access)
            #expect(reset.status == .noContent)
            _ = try await inbox.waitFor("mfa-reset", to: enrolled.email)
        }
    }

    @Test(arguments: TestDatabase.all)
    func mailIsInTheUsersLanguageAndLinksCanPointAtTheApplication(_ database: TestDatabase) async throws {
        let inbox = CapturingMailTransport()
        try await withApp(
            database,
            mail: inbox,
            configure: { $0.mail.resetLinkTemplate = "https://app.example.com/reset?token={token}" }
        ) { api, _ in
            let german = uniqueEmail()
            #expect(try await api.register(german, extra: ["locale": "de-AT"]).status == .created)
            let mail = try #require(try await inbox.waitFor("verify-email", to: german).last)
            #expect(mail.subject.contains("Bestätigen") && mail.text.contains("24 Stunden"), "\(mail.subject)")
            let (english, _) = try await api.newUser()
            #expect(try await inbox.waitFor("verify-email", to: english).last?.subject.contains("Confirm") == true)
            _ = try await api.call(.post, "/auth/password/forgot", json: ["email": english])
            let reset = try #require(try await inbox.waitFor("password-reset", to: english).last)
            #expect(reset.text.contains("https://app.example.com/reset?token=\(reset.linkToken ?? "-")"))
        }
    }

    @Test func mailRoutesAreLimitedPerClientAddress() async throws {
        try await withApp(
            .sqlite,
            configure: {
                $0.rateLimitEnabled = true
                $0.rateLimits.mail = 2
            }
        ) { api, _ in
            for _ in 0..<2 {
                #expect(
                    try await api.call(.post, "/auth/password/forgot", json: ["email": uniqueEmail()]).status
                        == .accepted
                )
            }
            let limited = try await api.call(.post, "/auth/password/forgot", json: ["email": uniqueEmail()])
            #expect(limited.status == .tooManyRequests && limited.header("Retry-After") != nil, "\(limited.text)")
            let resend = try await api.call(.post, "/auth/email/resend", json: ["email": uniqueEmail()])
            #expect(resend.status == .tooManyRequests)
        }
    }

    @Test func linkPagesAreServedWithAStrictPolicy() async throws {
        try await withApp(.sqlite) { api, _ in
            for path in ["/reset-password", "/verify-email"] {
                let page = try await api.call(.get, path)
                #expect(page.status == .ok && page.header("Content-Type")?.hasPrefix("text/html") == true)
                let csp = try #require(page.header("Content-Security-Policy"))
                #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"))
                #expect(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"))
                #expect(page.text.contains("/assets/link-pages.js") && !page.text.contains("http"))
            }
            let script = try await api.call(.get, "/assets/link-pages.js")
            #expect(script.status == .ok && script.text.contains("/auth/password/reset"))
        }
    }
}

extension AuditQuery {
    /// The newest 100 events, of one action or all.
    static func action(_ action: String?) -> AuditQuery {
        var query = AuditQuery()
        query.action = action
        query.perPage = 100
        return query
    }
}
