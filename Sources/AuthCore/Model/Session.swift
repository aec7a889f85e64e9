import Foundation

public struct Session: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var createdAt: Date
    public var lastUsedAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var revokeReason: String?
    public var ip: String?
    public var userAgent: String?
    /// Authenticator assurance level (NIST SP 800-63B): 1 for a password, 2 with a second factor.
    public var aal: Int
    /// How the user authenticated (RFC 8176): `pwd`, then `otp` for a TOTP or recovery code.
    public var amr: [String]

    public init(
        id: UUID = UUID(),
        userID: UUID,
        createdAt: Date,
        lastUsedAt: Date,
        expiresAt: Date,
        revokedAt: Date? = nil,
        revokeReason: String? = nil,
        ip: String? = nil,
        userAgent: String? = nil,
        aal: Int = 1,
        amr: [String] = ["pwd"]
    ) {
        self.id = id
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokeReason = revokeReason
        self.ip = ip
        self.userAgent = userAgent
        self.aal = aal
        self.amr = amr
    }

    /// Live: not revoked, not past its absolute lifetime, not idle too long.
    public func isActive(at now: Date, idleTimeout: TimeInterval) -> Bool {
        !hasEnded(at: now) && lastUsedAt.addingTimeInterval(idleTimeout) > now
    }

    /// Revoked or past its absolute expiry: final, unlike idleness (a refresh elsewhere resets that).
    public func hasEnded(at now: Date) -> Bool { revokedAt != nil || expiresAt <= now }
}
