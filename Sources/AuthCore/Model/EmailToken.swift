import Foundation

/// What a mailed link and code prove: the address (verification) or the right to set a new password (recovery).
public enum EmailTokenPurpose: String, Sendable, CaseIterable {
    case verifyEmail = "verify_email"
    case resetPassword = "reset_password"
}

/// One request of a verification or a reset: a link token and a 6-digit code, stored only as keyed hashes. Ends when
/// used, when it expires, after `EmailToken.maxCodeAttempts` wrong codes, or when a newer request replaces it.
public struct EmailToken: Sendable, Equatable {
    /// Wrong codes that end a request (as Kratos does).
    public static let maxCodeAttempts = 5

    public var id: UUID
    public var userID: UUID
    public var purpose: EmailTokenPurpose
    /// The address the mail went to: a verification proves this address, and no other the user may have switched to.
    public var email: String
    public var createdAt: Date
    public var expiresAt: Date
    public var attempts: Int
    public var usedAt: Date?

    public init(
        id: UUID = UUID(),
        userID: UUID,
        purpose: EmailTokenPurpose,
        email: String,
        createdAt: Date,
        expiresAt: Date,
        attempts: Int = 0,
        usedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.purpose = purpose
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.usedAt = usedAt
    }

    public func isLive(at now: Date) -> Bool {
        usedAt == nil && expiresAt > now && attempts < Self.maxCodeAttempts
    }
}
