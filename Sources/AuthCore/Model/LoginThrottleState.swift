import Foundation

/// Per-email login failure bookkeeping (the key is a hash of the normalised email).
public struct LoginThrottleState: Sendable, Equatable {
    public var failures: Int
    public var windowStartedAt: Date
    public var hourFailures: Int
    public var hourStartedAt: Date
    public var lockedUntil: Date?
    public init(failures: Int, windowStartedAt: Date, hourFailures: Int, hourStartedAt: Date, lockedUntil: Date?) {
        self.failures = failures
        self.windowStartedAt = windowStartedAt
        self.hourFailures = hourFailures
        self.hourStartedAt = hourStartedAt
        self.lockedUntil = lockedUntil
    }
}
