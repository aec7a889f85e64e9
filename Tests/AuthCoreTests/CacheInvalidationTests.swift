import Foundation
import Synchronization
import Testing

@testable import AuthCore

@Suite struct CacheInvalidationTests {
    func state(user: UUID = UUID(), now: Date) -> SessionState {
        SessionState(
            session: Session(userID: user, createdAt: now, lastUsedAt: now, expiresAt: now.addingTimeInterval(3600)),
            userID: user,
            email: "a@example.com",
            userActive: true,
            roles: ["user"],
            permissions: []
        )
    }

    @Test func payloadsRoundTripAndGarbageIsIgnored() {
        let id = UUID()
        for message in [
            CacheInvalidation.session(id), .user(id), .profile(id), .personalToken(id), .serviceClient("svc_abc"), .all,
        ] {
            #expect(CacheInvalidation(payload: message.payload) == message)
        }
        for garbage in ["", "al", "session:", "session:not-a-uuid", "user:\(id)x", "client:", "nothing:\(id)", ":"] {
            #expect(CacheInvalidation(payload: garbage) == nil, "\(garbage)")
        }
    }

    @Test func invalidationsAreAppliedHere() async {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let user = UUID()
        let (a, b, c) = (state(user: user, now: now), state(user: user, now: now), state(now: now))
        for s in [a, b, c] { cache.put(s, now: now, ticket: cache.ticket(session: s.session.id, user: s.userID)) }
        cache.invalidate(session: a.session.id)
        #expect(cache.lookup(a.session.id, now: now).state == nil && cache.lookup(b.session.id, now: now).state == b)
        cache.invalidate(user: user)
        #expect(cache.lookup(b.session.id, now: now).state == nil && cache.lookup(c.session.id, now: now).state == c)
        hub.received(.all)
        #expect(cache.lookup(c.session.id, now: now).state == nil)
    }

    @Test func aReadThatRacedAnInvalidationIsNotCached() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let s = state(now: now)
        let ticket = cache.ticket(session: s.session.id, user: s.userID)  // the read starts...
        hub.received(.session(s.session.id))  // ...a revocation arrives...
        cache.put(s, now: now, ticket: ticket)  // ...and the stale read finishes.
        #expect(cache.lookup(s.session.id, now: now).state == nil)
        // The same for the user's invalidation (disabled while the read ran), and for everyone's.
        let userTicket = cache.ticket(session: s.session.id, user: s.userID)
        hub.received(.user(s.userID))
        cache.put(s, now: now, ticket: userTicket)
        #expect(cache.lookup(s.session.id, now: now).state == nil)
        let allTicket = cache.ticket(session: s.session.id, user: s.userID)
        hub.received(.all)
        cache.put(s, now: now, ticket: allTicket)
        #expect(cache.lookup(s.session.id, now: now).state == nil)
    }

    /// Logout traffic elsewhere does not make reads of other sessions uncacheable (no global counter).
    @Test func invalidationsOfOtherEntriesDoNotSpoilARead() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let s = state(now: now)
        let ticket = cache.ticket(session: s.session.id, user: s.userID)
        var others = 0
        for _ in 0..<200 {
            let other = UUID()
            // A stripe shared by chance (1 in 4,096) would only cost a cache miss; skip those to keep the test exact.
            guard InvalidationHub.stripe(of: .session(other)) != InvalidationHub.stripe(of: .session(s.session.id)),
                InvalidationHub.stripe(of: .session(other)) != InvalidationHub.stripe(of: .user(s.userID))
            else { continue }
            hub.received(.session(other))
            others += 1
        }
        cache.put(s, now: now, ticket: ticket)
        #expect(others > 190)
        #expect(cache.lookup(s.session.id, now: now).state == s)
    }

    /// A user's invalidation after the entry was cached reaches it (lazily, at the next lookup), and an entry cached
    /// for another user than the ticket's is not stored.
    @Test func aUsersInvalidationReachesEveryCachedSessionOfIt() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let user = UUID()
        let sessions = (0..<5).map { _ in state(user: user, now: now) }
        for s in sessions { cache.put(s, now: now, ticket: cache.ticket(session: s.session.id, user: user)) }
        #expect(sessions.allSatisfy { cache.lookup($0.session.id, now: now).state == $0 })
        cache.invalidate(user: user)
        #expect(sessions.allSatisfy { cache.lookup($0.session.id, now: now).state == nil })
        let s = state(now: now)
        cache.put(s, now: now, ticket: cache.ticket(session: s.session.id, user: UUID()))
        #expect(cache.lookup(s.session.id, now: now).state == nil)
    }

    @Test func entriesLiveLongerOnlyWhileTheListenerIsConnected() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let short = state(now: now)
        cache.put(short, now: now, ticket: cache.ticket(session: short.session.id, user: short.userID))
        #expect(cache.lookup(short.session.id, now: now.addingTimeInterval(0.4)).state == short)
        #expect(cache.lookup(short.session.id, now: now.addingTimeInterval(0.6)).state == nil)
        hub.listenerChanged(connected: true)
        let long = state(now: now)
        cache.put(long, now: now, ticket: cache.ticket(session: long.session.id, user: long.userID))
        #expect(cache.lookup(long.session.id, now: now.addingTimeInterval(30)).state == long)
        // Losing the connection drops everything: messages may be missed from now on.
        hub.listenerChanged(connected: false)
        #expect(cache.lookup(long.session.id, now: now.addingTimeInterval(1)).state == nil && hub.currentTTL == 0.5)
    }
}

extension CacheInvalidationTests {
    /// Lives are 90–100 % of the TTL (spread so entries cached together expire apart); the last quarter of a life is
    /// for one reader's background refresh.
    @Test func oneReaderRefreshesAnEntryLateInItsLife() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let s = state(now: now)
        let ticket = { cache.ticket(session: s.session.id, user: s.userID) }
        cache.put(s, now: now, ticket: ticket())
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.1)) == (s, false))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.3)) == (s, false))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.38)) == (s, true))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.39)) == (s, false))
        // The refreshed entry starts a new life.
        cache.put(s, now: now.addingTimeInterval(0.4), ticket: ticket())
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.7)) == (s, false))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.91)) == (nil, false))
    }
}
