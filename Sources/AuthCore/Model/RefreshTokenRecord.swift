import Foundation

/// One refresh token of a session's rotation chain (the token itself is never stored).
public struct RefreshTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var sessionID: UUID
    public var createdAt: Date
    /// Set when the token was exchanged for its successor.
    public var rotatedAt: Date?
    public var replacedBy: UUID?
    /// Whether the successor is still the session's unused, current token.
    public var successorUnused: Bool
    public init(id: UUID, sessionID: UUID, createdAt: Date, rotatedAt: Date?, replacedBy: UUID?, successorUnused: Bool)
    {
        self.id = id
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
        self.replacedBy = replacedBy
        self.successorUnused = successorUnused
    }
}
