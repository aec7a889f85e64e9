import AuthCore
import AuthTestSupport
import Foundation
import Testing

/// Revocation reaches access tokens already issued at once, on the in-memory store.
@Suite struct SessionRulesTests {
    @Test func logoutEndsTheSessionsAccessTokensAtOnce() async throws {
        let harness = try await DomainHarness()
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        let principal = try await harness.services.authenticator.authenticate(accessToken: pair.accessToken)
        try await harness.services.sessions.logout(principal, allSessions: false, meta: RequestMeta())
        await #expect(throws: AuthError.invalidToken) {
            try await harness.services.authenticator.authenticate(accessToken: pair.accessToken)
        }
    }

    @Test func aPasswordChangeEndsEveryOtherSession() async throws {
        let harness = try await DomainHarness()
        let user = try await harness.register()
        let kept = try await harness.login(user.email)
        let other = try await harness.login(user.email)
        let principal = try await harness.services.authenticator.authenticate(accessToken: kept.accessToken)
        try await harness.services.accounts.changePassword(
            principal,
            current: DomainHarness.password,
            new: "another long passphrase",
            meta: RequestMeta()
        )
        _ = try await harness.services.authenticator.authenticate(accessToken: kept.accessToken)
        await #expect(throws: AuthError.invalidToken) {
            try await harness.services.authenticator.authenticate(accessToken: other.accessToken)
        }
    }

    @Test func anIdleSessionIsRefusedAndAnotherUsersSessionIsNotFound() async throws {
        let harness = try await DomainHarness { $0.sessionIdleTimeout = 600 }
        let user = try await harness.register()
        let stranger = try await harness.register()
        let pair = try await harness.login(user.email)
        let strangerPrincipal = try await harness.principal(stranger.email)
        await #expect(throws: AuthError.sessionNotFound) {
            try await harness.services.sessions.revokeOwnSession(
                strangerPrincipal,
                sessionID: pair.sessionID,
                meta: RequestMeta()
            )
        }
        harness.clock.advance(by: 601)
        await #expect(throws: AuthError.invalidToken) {
            try await harness.services.authenticator.authenticate(accessToken: pair.accessToken)
        }
    }
}
