import Foundation
import Synchronization

/// The per-email attempt budget, spent before a password is checked: the attempt is counted as a failure under the
/// row's lock first, and given back (the counter cleared) only when the password matches. Of a burst of concurrent
/// wrong passwords at most `AUTH_LOGIN_MAX_FAILURES` get a password check in a window; the rest are throttled at once.
struct LoginAttempts: Sendable {
    enum Outcome: Sendable {
        /// Go on and check the password; `state` already counts this attempt.
        case allowed(LoginThrottleState)
        case locked(retryAfter: Int)
    }

    let store: any AuthStore
    let throttle: LoginThrottle

    func reserve(key: String, now: Date) async throws -> Outcome {
        final class Decision: Sendable {
            let allowed = Mutex(false)
        }
        let decision = Decision()
        let state = try await store.loginThrottle.modify(key: key) { [throttle] current in
            if let current, throttle.retryAfter(current, now: now) != nil {
                decision.allowed.withLock { $0 = false }
                return current
            }
            decision.allowed.withLock { $0 = true }
            return throttle.failing(current, now: now)
        }
        if decision.allowed.withLock({ $0 }) { return .allowed(state) }
        return .locked(retryAfter: throttle.retryAfter(state, now: now) ?? 1)
    }

    /// The password matched: the budget is whole again.
    func succeeded(key: String) async throws {
        try await store.loginThrottle.reset(key: key)
    }
}
