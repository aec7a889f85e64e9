import Foundation

/// A personal access token: a long-lived, scoped, revocable credential of a user. Only the SHA-256 of its secret is
/// stored.
public struct PersonalAccessToken: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var name: String
    /// What the token may do at most; what it may do now is this intersected with its user's permissions.
    public var permissions: [String]
    public var createdAt: Date
    /// nil: never expires (only where `AUTH_PAT_ALLOW_NON_EXPIRING` allows it).
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var lastUsedIP: String?
    public var revokedAt: Date?

    public init(
        id: UUID = UUID(),
        userID: UUID,
        name: String,
        permissions: [String],
        createdAt: Date,
        expiresAt: Date?,
        lastUsedAt: Date? = nil,
        lastUsedIP: String? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.permissions = permissions
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedIP = lastUsedIP
        self.revokedAt = revokedAt
    }

    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && !isExpired(at: now) }
}

/// What a request made with a personal access token needs: the token, and its user as the database has it now.
public struct PersonalTokenState: Sendable, Equatable {
    public var token: PersonalAccessToken
    public var email: String
    public var userActive: Bool
    public var roles: [String]
    /// The user's permissions now (from its roles), before the intersection with the token's list.
    public var userPermissions: [String]

    public init(
        token: PersonalAccessToken,
        email: String,
        userActive: Bool,
        roles: [String],
        userPermissions: [String]
    ) {
        self.token = token
        self.email = email
        self.userActive = userActive
        self.roles = roles
        self.userPermissions = userPermissions
    }
}
