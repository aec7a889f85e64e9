import Foundation

/// Per-email login throttling, kept in the database so every instance shares it. The key is a hash of the
/// normalised email, so an address with no account is throttled exactly like one with an account.
public struct LoginThrottle: Sendable {
    /// ASVS: never more than this many failed attempts per account per hour, whatever the settings.
    public static let hourlyCeiling = 100

    let maxFailures: Int
    let lockout: TimeInterval

    public init(maxFailures: Int, lockoutSeconds: Int) {
        self.maxFailures = maxFailures
        self.lockout = TimeInterval(lockoutSeconds)
    }

    public static func key(for email: String) -> String {
        SecureToken.hash("login:" + email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    /// Seconds until `state` lets a login through, or nil when it does now.
    public func retryAfter(_ state: LoginThrottleState?, now: Date) -> Int? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
    }

    /// Whether the failure that produced `state` is the one that locked the account (audited once per lock).
    public func justLocked(_ state: LoginThrottleState) -> Bool {
        state.failures == maxFailures || state.hourFailures == Self.hourlyCeiling
    }

    /// The state after one more failure at `now`.
    public func failing(_ state: LoginThrottleState?, now: Date) -> LoginThrottleState {
        var s =
            state
            ?? LoginThrottleState(
                failures: 0,
                windowStartedAt: now,
                hourFailures: 0,
                hourStartedAt: now,
                lockedUntil: nil
            )
        if now.timeIntervalSince(s.windowStartedAt) >= lockout || (s.lockedUntil.map { $0 <= now } ?? false) {
            s.failures = 0
            s.windowStartedAt = now
            s.lockedUntil = nil
        }
        if now.timeIntervalSince(s.hourStartedAt) >= 3600 {
            s.hourFailures = 0
            s.hourStartedAt = now
        }
        s.failures += 1
        s.hourFailures += 1
        if s.failures >= maxFailures {
            s.lockedUntil = max(s.lockedUntil ?? now, now.addingTimeInterval(lockout))
        }
        if s.hourFailures >= Self.hourlyCeiling {
            s.lockedUntil = max(s.lockedUntil ?? now, s.hourStartedAt.addingTimeInterval(3600))
        }
        return s
    }
}
