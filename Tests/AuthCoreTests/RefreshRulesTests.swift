import AuthCore
import AuthTestSupport
import Foundation
import Testing

/// Refresh-token rotation, reuse detection and the grace for a retry, on the in-memory store.
@Suite struct RefreshRulesTests {
    @Test func eachRefreshRotatesTheToken() async throws {
        let harness = try await DomainHarness()
        let user = try await harness.register()
        let first = try await harness.login(user.email)
        let second = try await harness.services.refresh.refresh(token: first.refreshToken, meta: RequestMeta())
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.sessionID == first.sessionID)
        let third = try await harness.services.refresh.refresh(token: second.refreshToken, meta: RequestMeta())
        #expect(third.refreshToken != second.refreshToken)
    }

    @Test func theTokenJustRotatedIsARetryWithinTheGraceAndTheSessionLives() async throws {
        let harness = try await DomainHarness { $0.refreshReuseGrace = 10 }
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        let next = try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        harness.clock.advance(by: 5)
        await #expect(throws: AuthError.refreshTokenRotated) {
            try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        }
        // The session is still live: its newest token works.
        _ = try await harness.services.refresh.refresh(token: next.refreshToken, meta: RequestMeta())
    }

    @Test func reuseAfterTheGraceRevokesTheWholeSession() async throws {
        let harness = try await DomainHarness { $0.refreshReuseGrace = 10 }
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        let next = try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        harness.clock.advance(by: 11)
        await #expect(throws: AuthError.refreshTokenReused) {
            try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        }
        await #expect(throws: AuthError.invalidRefreshToken) {
            try await harness.services.refresh.refresh(token: next.refreshToken, meta: RequestMeta())
        }
        await #expect(throws: AuthError.invalidToken) {
            try await harness.services.authenticator.authenticate(accessToken: next.accessToken)
        }
        let session = try #require(try await harness.store.sessions.find(id: pair.sessionID))
        #expect(session.revokeReason == "refresh_token_reused")
    }

    @Test func reuseOnceTheSuccessorWasUsedIsTheftEvenWithinTheGrace() async throws {
        let harness = try await DomainHarness { $0.refreshReuseGrace = 60 }
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        let next = try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        _ = try await harness.services.refresh.refresh(token: next.refreshToken, meta: RequestMeta())
        await #expect(throws: AuthError.refreshTokenReused) {
            try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        }
    }

    @Test func concurrentRefreshesWithOneTokenMintOneSuccessor() async throws {
        let harness = try await DomainHarness()
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        let refresh = harness.services.refresh
        let successes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { (try? await refresh.refresh(token: pair.refreshToken, meta: RequestMeta())) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 1)
    }

    @Test func unknownEmptyAndOversizedTokensAreInvalid() async throws {
        let harness = try await DomainHarness()
        for token in ["", "not-a-token", String(repeating: "a", count: FieldLimits.refreshToken + 1)] {
            await #expect(throws: AuthError.invalidRefreshToken) {
                try await harness.services.refresh.refresh(token: token, meta: RequestMeta())
            }
        }
    }
}

/// The edges of a refresh that must not raise a false alarm, and the retry that must leave a trace.
@Suite struct RefreshEdgeTests {
    @Test func aTokenOfAnIdleSessionIsRefusedAgainAndAgainWithoutATheftAlarm() async throws {
        let harness = try await DomainHarness { $0.sessionIdleTimeout = 600 }
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        harness.clock.advance(by: 601)
        for _ in 0..<2 {
            await #expect(throws: AuthError.invalidRefreshToken) {
                try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
            }
        }
        let session = try #require(try await harness.store.sessions.find(id: pair.sessionID))
        #expect(session.revokedAt == nil)
        let reused = try await harness.store.audit.list(
            {
                var query = AuditQuery()
                query.action = "refresh_token.reused"
                return query
            }()
        )
        #expect(reused.total == 0)
    }

    @Test func aReplayWithinTheGraceIsAudited() async throws {
        let harness = try await DomainHarness { $0.refreshReuseGrace = 10 }
        let user = try await harness.register()
        let pair = try await harness.login(user.email)
        _ = try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        await #expect(throws: AuthError.refreshTokenRotated) {
            try await harness.services.refresh.refresh(token: pair.refreshToken, meta: RequestMeta())
        }
        let replayed = try await harness.store.audit.list(
            {
                var query = AuditQuery()
                query.action = "refresh_token.replayed"
                return query
            }()
        )
        #expect(replayed.items.map { $0.details["session_id"] } == [pair.sessionID.uuidString.lowercased()])
    }
}
