import Foundation

/// A refresh token just claimed with its successor added (`SessionRepository.rotateRefreshToken`).
public struct RefreshTokenRotation: Sendable, Equatable {
    public var token: RefreshTokenRecord
    /// The session's last use before the rotation recorded this one: what its idle timeout is judged by.
    public var sessionLastUsedAt: Date
    public init(token: RefreshTokenRecord, sessionLastUsedAt: Date) {
        self.token = token
        self.sessionLastUsedAt = sessionLastUsedAt
    }
}
