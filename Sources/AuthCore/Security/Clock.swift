import Foundation

public protocol AuthClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AuthClock {
    public init() {}
    public func now() -> Date { Date() }
}
