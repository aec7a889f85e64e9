import Foundation

public struct Role: Sendable, Equatable {
    public var name: String
    public var description: String
    public var permissions: [String]
    public var isSystem: Bool
    /// Step-up: the role's permissions count only in sessions that passed a second factor (aal 2).
    public var requiresMFA: Bool
    public init(
        name: String,
        description: String,
        permissions: [String],
        isSystem: Bool = false,
        requiresMFA: Bool = false
    ) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.isSystem = isSystem
        self.requiresMFA = requiresMFA
    }

    public static let admin = Role(name: "admin", description: "Full access", permissions: ["*"], isSystem: true)
    public static let user = Role(name: "user", description: "A registered user", permissions: [], isSystem: true)
    public static let seeded: [Role] = [.admin, .user]
}
