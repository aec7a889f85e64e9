import AuthCore
import Hummingbird

struct RoleResponse: ResponseEncodable, Sendable {
    let name: String
    let description: String
    let permissions: [String]
    let isSystem: Bool
    let requiresMFA: Bool

    enum CodingKeys: String, CodingKey {
        case name, description, permissions
        case isSystem = "is_system"
        case requiresMFA = "requires_mfa"
    }

    init(_ role: Role) {
        name = role.name
        description = role.description
        permissions = role.permissions
        isSystem = role.isSystem
        requiresMFA = role.requiresMFA
    }
}
