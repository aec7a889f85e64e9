import Foundation

public struct User: Sendable, Equatable {
    public var id: UUID
    /// Trimmed and lower-cased; unique.
    public var email: String
    public var passwordHash: String
    public var profile: UserProfile
    public var isActive: Bool
    public var isVerified: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var lastLoginAt: Date?
    /// Role names, sorted.
    public var roles: [String]

    public init(
        id: UUID = UUID(),
        email: String,
        passwordHash: String,
        profile: UserProfile = UserProfile(),
        isActive: Bool = true,
        isVerified: Bool = false,
        createdAt: Date,
        updatedAt: Date,
        lastLoginAt: Date? = nil,
        roles: [String] = []
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.profile = profile
        self.isActive = isActive
        self.isVerified = isVerified
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastLoginAt = lastLoginAt
        self.roles = roles
    }
}
