import Foundation

/// A user together with the permissions its roles grant now.
public struct UserWithPermissions: Sendable, Equatable {
    public var user: User
    public var permissions: [String]
    public init(user: User, permissions: [String]) {
        self.user = user
        self.permissions = permissions
    }
}
