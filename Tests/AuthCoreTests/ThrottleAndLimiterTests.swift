import AuthCore
import AuthTestSupport
import Foundation
import Testing

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func locksAfterMaxFailuresForTheLockoutWindow() {
        let throttle = LoginThrottle(maxFailures: 3, lockoutSeconds: 900)
        var state: LoginThrottleState?
        for i in 0..<2 {
            state = throttle.failing(state, now: start.addingTimeInterval(Double(i)))
            #expect(throttle.retryAfter(state, now: start.addingTimeInterval(Double(i))) == nil)
        }
        state = throttle.failing(state, now: start.addingTimeInterval(2))
        #expect(throttle.retryAfter(state, now: start.addingTimeInterval(2)) == 900)
        #expect(throttle.retryAfter(state, now: start.addingTimeInterval(902)) == nil)
    }

    @Test func failuresOutsideTheWindowStartOver() {
        let throttle = LoginThrottle(maxFailures: 3, lockoutSeconds: 60)
        var state = throttle.failing(nil, now: start)
        state = throttle.failing(state, now: start.addingTimeInterval(1))
        state = throttle.failing(state, now: start.addingTimeInterval(120))
        #expect(state.failures == 1)
        #expect(throttle.retryAfter(state, now: start.addingTimeInterval(120)) == nil)
    }

    @Test func neverMoreThanOneHundredFailuresAnHourWhateverTheSettings() {
        let throttle = LoginThrottle(maxFailures: 1_000_000, lockoutSeconds: 1)
        var state: LoginThrottleState?
        var now = start
        for _ in 0..<100 {
            #expect(throttle.retryAfter(state, now: now) == nil)
            state = throttle.failing(state, now: now)
            now = now.addingTimeInterval(2)
        }
        // The hundredth failure locks until the hour since the first one is over.
        let wait = throttle.retryAfter(state, now: now)
        #expect(wait != nil && wait! > 3000)
        #expect(throttle.retryAfter(state, now: start.addingTimeInterval(3601)) == nil)
    }

    @Test func keyIsTheSameForAnyCaseOrSpacing() {
        #expect(LoginThrottle.key(for: " Ada@Example.com ") == LoginThrottle.key(for: "ada@example.com"))
        #expect(LoginThrottle.key(for: "ada@example.com") != LoginThrottle.key(for: "bob@example.com"))
    }
}

@Suite struct RateLimiterTests {
    @Test func allowsTheLimitThenRefusesWithRetryAfter() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        for i in 0..<5 {
            let d = limiter.take(key: "ip", limit: 5)
            #expect(d.allowed && d.remaining == 4 - i && d.limit == 5)
        }
        let refused = limiter.take(key: "ip", limit: 5)
        #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 12)
        #expect(limiter.take(key: "other-ip", limit: 5).allowed)
    }

    @Test func refillsContinuously() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        for _ in 0..<60 { _ = limiter.take(key: "ip", limit: 60) }
        #expect(!limiter.take(key: "ip", limit: 60).allowed)
        clock.advance(by: 1)
        #expect(limiter.take(key: "ip", limit: 60).allowed)
        #expect(!limiter.take(key: "ip", limit: 60).allowed)
        clock.advance(by: 60)
        let full = limiter.take(key: "ip", limit: 60)
        #expect(full.allowed && full.remaining == 59 && full.resetAfter == 1)
    }

    @Test func boundedMemoryUnderManyKeys() {
        let limiter = RateLimiter(clock: ManualClock(), maxKeys: 100)
        for i in 0..<1000 { _ = limiter.take(key: "ip-\(i)", limit: 10) }
        // Still answering, and a fresh key is still allowed.
        #expect(limiter.take(key: "new", limit: 10).allowed)
    }
}

@Suite struct SecureTokenTests {
    @Test func refreshTokensCarry256RandomBits() {
        let token = SecureToken.generate(byteCount: 32)
        #expect(Data(base64URLEncoded: token)?.count == 32)
        let many = Set((0..<1000).map { _ in SecureToken.generate(byteCount: 32) })
        #expect(many.count == 1000)
    }

    @Test func hashIsSHA256Hex() {
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func constantTimeEqualsIsEquality() {
        #expect(SecureToken.constantTimeEquals("abc", "abc"))
        #expect(!SecureToken.constantTimeEquals("abc", "abd"))
        #expect(!SecureToken.constantTimeEquals("abc", "abcd"))
        #expect(!SecureToken.constantTimeEquals("", "a"))
    }
}

@Suite struct AuditSanitisingTests {
    @Test func controlCharactersCannotForgeEntries() {
        let forged = "mallory@example.com\n2026-01-01 login.succeeded admin\u{1b}[2J"
        let clean = AuditLog.printable(forged)
        #expect(!clean.contains("\n") && !clean.contains("\u{1b}"))
        #expect(clean.contains("\\u{a}"))
    }

    @Test func longValuesAreCut() {
        #expect(AuditLog.printable(String(repeating: "x", count: 5000)).count == 512)
    }
}
