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
        for message in [CacheInvalidation.session(id), .user(id), .serviceClient("svc_abc"), .all] {
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
        for s in [a, b, c] { cache.put(s, now: now, readAfter: hub.generation) }
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
        let generation = hub.generation  // the read starts...
        hub.received(.session(s.session.id))  // ...a revocation arrives...
        cache.put(s, now: now, readAfter: generation)  // ...and the stale read finishes.
        #expect(cache.lookup(s.session.id, now: now).state == nil)
    }

    @Test func entriesLiveLongerOnlyWhileTheListenerIsConnected() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let short = state(now: now)
        cache.put(short, now: now, readAfter: hub.generation)
        #expect(cache.lookup(short.session.id, now: now.addingTimeInterval(0.4)).state == short)
        #expect(cache.lookup(short.session.id, now: now.addingTimeInterval(0.6)).state == nil)
        hub.listenerChanged(connected: true)
        let long = state(now: now)
        cache.put(long, now: now, readAfter: hub.generation)
        #expect(cache.lookup(long.session.id, now: now.addingTimeInterval(30)).state == long)
        // Losing the connection drops everything: messages may be missed from now on.
        hub.listenerChanged(connected: false)
        #expect(cache.lookup(long.session.id, now: now.addingTimeInterval(1)).state == nil && hub.currentTTL == 0.5)
    }
}

extension CacheInvalidationTests {
    @Test func oneReaderRefreshesAnEntryInTheSecondHalfOfItsLife() {
        let hub = InvalidationHub(ttl: 0.5, notifiedTTL: 60)
        let cache = SessionStateCache(hub: hub)
        let now = Date()
        let s = state(now: now)
        cache.put(s, now: now, readAfter: hub.generation)
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.1)) == (s, false))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.3)) == (s, true))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.31)) == (s, false))
        // The refreshed entry starts a new life.
        cache.put(s, now: now.addingTimeInterval(0.32), readAfter: hub.generation)
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.5)) == (s, false))
        #expect(cache.lookup(s.session.id, now: now.addingTimeInterval(0.9)) == (nil, false))
    }
}
