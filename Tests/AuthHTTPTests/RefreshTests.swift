import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct RefreshTests {
    @Test(arguments: TestDatabase.all)
    func refreshRotatesAndReuseRevokesTheSession(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock) { api, app in
            let (_, tokens) = try await api.newUser()
            let first = try await api.refresh(tokens.refresh)
            #expect(first.status == .ok, "\(first.text)")
            let r2 = try #require(first.string("refresh_token"))
            #expect(r2 != tokens.refresh)
            clock.advance(by: 1)
            let second = try await api.refresh(r2)
            #expect(second.status == .ok)
            let r3 = try #require(second.string("refresh_token"))
            clock.advance(by: 30)
            // r1 is two rotations old: reuse.
            let reuse = try await api.refresh(tokens.refresh)
            #expect(reuse.status == .unauthorized && reuse.code == "refresh_token_reused")
            // The whole session died: the newest refresh token and every access token.
            #expect(try await api.refresh(r3).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: second.string("access_token")).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            let events = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "refresh_token.reused"
                    return q
                }()
            )
            #expect(events.total == 1)
            // Only hashes are stored.
            let stored = try await app.services.store.sessions.findRefreshToken(hash: tokens.refresh)
            #expect(stored == nil)
            #expect(
                try await app.services.store.sessions.findRefreshToken(hash: SecureToken.hash(tokens.refresh)) != nil
            )
        }
    }

    /// Idleness is judged by the use before each refresh (which the store records as it rotates): uses closer than
    /// the idle timeout keep the session, a gap past it ends it, and the refusal repeats with no theft alarm.
    @Test(arguments: TestDatabase.all)
    func aRefreshPastTheIdleTimeoutIsRefusedWhileRegularUseKeepsTheSession(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock, configure: { $0.sessionIdleTimeout = 600 }) { api, app in
            let (_, tokens) = try await api.newUser()
            var refresh = tokens.refresh
            for _ in 0..<2 {
                clock.advance(by: 590)
                let kept = try await api.refresh(refresh)
                #expect(kept.status == .ok, "\(kept.text)")
                refresh = try #require(kept.string("refresh_token"))
            }
            clock.advance(by: 601)
            for _ in 0..<2 {
                let idle = try await api.refresh(refresh)
                #expect(idle.status == .unauthorized && idle.code == "invalid_refresh_token", "\(idle.text)")
            }
            var reused = AuditQuery()
            reused.action = "refresh_token.reused"
            #expect(try await app.services.store.audit.list(reused).total == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theJustRotatedTokenWithinTheGraceIsRefusedButTheSessionLives(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock) { api, _ in
            let (_, tokens) = try await api.newUser()
            let first = try await api.refresh(tokens.refresh)
            clock.advance(by: 5)
            let retry = try await api.refresh(tokens.refresh)
            #expect(retry.status == .unauthorized && retry.code == "refresh_token_rotated")
            let next = try await api.refresh(first.string("refresh_token")!)
            #expect(next.status == .ok)
            #expect(try await api.call(.get, "/auth/me", token: next.string("access_token")).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theJustRotatedTokenAfterTheGraceIsReuse(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock) { api, _ in
            let (_, tokens) = try await api.newUser()
            let first = try await api.refresh(tokens.refresh)
            clock.advance(by: 11)
            #expect(try await api.refresh(tokens.refresh).code == "refresh_token_reused")
            #expect(try await api.refresh(first.string("refresh_token")!).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theJustRotatedTokenOnceItsSuccessorWasUsedIsReuse(_ db: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(db, clock: clock) { api, _ in
            let (_, tokens) = try await api.newUser()
            let first = try await api.refresh(tokens.refresh)
            #expect(try await api.refresh(first.string("refresh_token")!).status == .ok)
            #expect(try await api.refresh(tokens.refresh).code == "refresh_token_reused")
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentRefreshesOfOneTokenMintExactlyOneSuccessor(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (_, tokens) = try await api.newUser()
            let results = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
                for _ in 0..<12 { group.addTask { try await api.refresh(tokens.refresh) } }
                return try await group.reduce(into: [HTTPResult]()) { $0.append($1) }
            }
            let winners = results.filter { $0.status == .ok }
            #expect(winners.count == 1, "\(results.map(\.status.code))")
            #expect(
                results.filter { $0.code == "refresh_token_rotated" }.count == 11,
                "\(results.map { $0.code ?? "ok" })"
            )
            // The session lives on with one live successor.
            let successor = try #require(winners.first?.string("refresh_token"))
            #expect(try await api.refresh(successor).status == .ok)
            let sessionID = try #require(
                try await app.services.store.sessions.findRefreshToken(hash: SecureToken.hash(successor))?.sessionID
            )
            #expect(try await app.services.store.sessions.find(id: sessionID)?.revokedAt == nil)
        }
    }

    @Test func sessionsEndAfterTheirAbsoluteLifetime() async throws {
        let clock = ManualClock()
        try await withApp(
            .sqlite,
            clock: clock,
            configure: {
                $0.refreshTokenTTL = 3600
                $0.sessionIdleTimeout = 86_400
            }
        ) { api, _ in
            let (_, tokens) = try await api.newUser()
            var refresh = tokens.refresh
            for _ in 0..<3 {
                clock.advance(by: 1000)
                let r = try await api.refresh(refresh)
                #expect(r.status == .ok)
                #expect((r["refresh_expires_in"] as? Int ?? 0) < 3600)
                refresh = r.string("refresh_token")!
            }
            clock.advance(by: 700)
            #expect(try await api.refresh(refresh).code == "invalid_refresh_token")
        }
    }

    @Test func sessionsEndAfterTheIdleTimeout() async throws {
        let clock = ManualClock()
        try await withApp(.sqlite, clock: clock, configure: { $0.sessionIdleTimeout = 3600 }) { api, _ in
            let (_, tokens) = try await api.newUser()
            clock.advance(by: 3000)
            let r = try await api.refresh(tokens.refresh)
            #expect(r.status == .ok)
            clock.advance(by: 3601)
            #expect(try await api.refresh(r.string("refresh_token")!).code == "invalid_refresh_token")
        }
    }

    @Test func garbageAndAccessTokensAreNotRefreshTokens() async throws {
        try await withApp(.sqlite) { api, _ in
            let (_, tokens) = try await api.newUser()
            for bad in ["", "garbage", tokens.access, String(repeating: "a", count: 5000)] {
                let r = try await api.refresh(bad)
                #expect(r.status == .unauthorized || r.status == .unprocessableContent)
                #expect(r.code == "invalid_refresh_token" || r.code == "validation_failed")
            }
            #expect(try await api.call(.post, "/auth/refresh", json: [:]).status == .unprocessableContent)
        }
    }

    @Test func disabledUsersCannotRefresh() async throws {
        try await withApp(.sqlite) { api, app in
            let (email, tokens) = try await api.newUser()
            let admin = try await api.admin()
            let id = try #require(try await app.services.store.users.find(email: email)?.id)
            _ = try await api.call(.put, "/admin/users/\(id)", json: ["is_active": false], token: admin.access)
            #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
        }
    }
}
