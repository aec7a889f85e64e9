import Foundation

public struct AdminUserInput: Sendable {
    public var email: String?
    public var password: String?
    public var profile: ProfileChanges
    public var roles: [String]?
    public var isActive: Bool?
    public var isVerified: Bool?
    public init(
        email: String? = nil,
        password: String? = nil,
        profile: ProfileChanges = ProfileChanges(),
        roles: [String]? = nil,
        isActive: Bool? = nil,
        isVerified: Bool? = nil
    ) {
        self.email = email
        self.password = password
        self.profile = profile
        self.roles = roles
        self.isActive = isActive
        self.isVerified = isVerified
    }
}
