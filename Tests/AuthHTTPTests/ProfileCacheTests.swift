import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// `GET /auth/me` answers from a cache (`ProfileCache`); everything that changes what it shows must show at once, on
/// this instance and on the others.
@Suite struct ProfileCacheTests {
    @Test(arguments: TestDatabase.all)
    func everyChangeShowsInTheNextAnswer(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock) { api, _ in
            let (email, tokens) = try await api.newUser()
            let first = try await api.call(.get, "/auth/me", token: tokens.access)
            #expect(first.status == .ok && first["display_name"] is NSNull && first["mfa_enabled"] as? Bool == false)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).text == first.text)  // from the cache

            // The user's own profile edit.
            clock.advance(by: 1)
            let edited = try await api.call(.put, "/auth/me", json: ["display_name": "Ada"], token: tokens.access)
            #expect(edited.status == .ok)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access)["display_name"] as? String == "Ada")

            // A new login moves last_login_at.
            clock.advance(by: 60)
            let before = try await api.call(.get, "/auth/me", token: tokens.access).string("last_login_at")
            let second = try await api.loginTokens(email)
            let after = try await api.call(.get, "/auth/me", token: tokens.access).string("last_login_at")
            #expect(before != nil && after != nil && before != after)

            // A password change (no other session ended: only updated_at moves).
            clock.advance(by: 60)
            let updated = try await api.call(.get, "/auth/me", token: second.access).string("updated_at")
            let changed = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": defaultPassword, "new_password": "violet harbor nine quantum lanterns"],
                token: second.access
            )
            #expect(changed.status == .noContent, "\(changed.text)")
            #expect(try await api.call(.get, "/auth/me", token: second.access).string("updated_at") != updated)

            // TOTP on, then an administrator's reset.
            let begin = try await api.call(
                .post,
                "/auth/mfa/totp",
                json: ["current_password": "violet harbor nine quantum lanterns"],
                token: second.access
            )
            let totp = try #require(begin.string("secret").flatMap(TOTP.init(base32:)))
            let confirm = try await api.call(
                .post,
                "/auth/mfa/totp/confirm",
                json: ["code": MFATests.code(totp, clock)],
                token: second.access
            )
            #expect(confirm.status == .ok, "\(confirm.text)")
            #expect(try await api.call(.get, "/auth/me", token: second.access)["mfa_enabled"] as? Bool == true)
            let admin = try await api.admin()
            let reset = try await api.call(.delete, "/admin/users/\(second.userID)/mfa", token: admin.access)
            #expect(reset.status == .noContent, "\(reset.text)")
            #expect(try await api.call(.get, "/auth/me", token: second.access)["mfa_enabled"] as? Bool == false)

            // An administrator's edit of the user.
            let adminEdit = try await api.call(
                .put,
                "/admin/users/\(second.userID)",
                json: ["display_name": "Grace", "is_verified": true],
                token: admin.access
            )
            #expect(adminEdit.status == .ok, "\(adminEdit.text)")
            let me = try await api.call(.get, "/auth/me", token: second.access)
            #expect(me["display_name"] as? String == "Grace" && me["is_verified"] as? Bool == true)
        }
    }

    /// Another instance's cached answer follows a change made here (PostgreSQL: NOTIFY; SQLite: the invalidation log),
    /// though its cache may keep entries for five minutes.
    @Test(arguments: TestDatabase.all)
    func aChangeOnOneInstanceShowsOnTheOther(_ db: TestDatabase) async throws {
        try await MultiInstanceTests().withTwoApps(db, configure: { $0.stateCacheNotifiedTTLMilliseconds = 300_000 }) {
            a,
            appA,
            b,
            appB in
            #expect(
                await eventually { appA.services.invalidations.isListening && appB.services.invalidations.isListening }
            )
            let (_, tokens) = try await a.newUser()
            #expect(try await b.call(.get, "/auth/me", token: tokens.access)["display_name"] is NSNull)
            #expect(
                try await a.call(.put, "/auth/me", json: ["display_name": "Edsger"], token: tokens.access).status
                    == .ok
            )
            #expect(
                await eventually {
                    (try? await b.call(.get, "/auth/me", token: tokens.access))?["display_name"] as? String == "Edsger"
                }
            )
        }
    }
}
