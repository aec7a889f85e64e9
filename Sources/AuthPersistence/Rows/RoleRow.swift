import AuthCore
import Foundation

/// A row of `roles`; `permissions` is JSON (JSONB on PostgreSQL).
struct RoleRow: Codable, Sendable {
    var id: UUID
    var name: String
    var description: String
    var permissions: JSONColumn<[String]>
    var is_system: Bool
    var requires_mfa: Bool
    var created_at: Date
    var updated_at: Date
    var role: Role {
        Role(
            name: name,
            description: description,
            permissions: permissions.value.sorted(),
            isSystem: is_system,
            requiresMFA: requires_mfa
        )
    }
}
