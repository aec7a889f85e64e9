import Foundation

/// A user's TOTP authenticator: pending until a code confirms it.
public struct TOTPEnrolment: Sendable, Equatable {
    public var userID: UUID
    /// As stored: base32, or sealed under `AUTH_ENCRYPTION_KEY`.
    public var secret: String
    public var confirmedAt: Date?
    /// The last time step whose code was accepted: a code is never accepted twice.
    public var lastUsedStep: Int64?
    public var createdAt: Date

    public init(userID: UUID, secret: String, confirmedAt: Date? = nil, lastUsedStep: Int64? = nil, createdAt: Date) {
        self.userID = userID
        self.secret = secret
        self.confirmedAt = confirmedAt
        self.lastUsedStep = lastUsedStep
        self.createdAt = createdAt
    }

    public var isConfirmed: Bool { confirmedAt != nil }
}

/// The second step of a login: issued when the password was right and the user has MFA on.
public struct MFAChallenge: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    /// The per-email lockout key of the first step: wrong codes count there.
    public var throttleKey: String
    public var createdAt: Date
    public var expiresAt: Date
    public var attempts: Int
    public var usedAt: Date?

    public init(
        id: UUID = UUID(),
        userID: UUID,
        throttleKey: String,
        createdAt: Date,
        expiresAt: Date,
        attempts: Int = 0,
        usedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.throttleKey = throttleKey
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.usedAt = usedAt
    }

    /// Tries a challenge allows.
    public static let maxAttempts = 5
    /// Seconds a challenge lives.
    public static let lifetime: TimeInterval = 300
}
