import AuthCore
import Foundation
import SQLKit

/// Roles and their permissions (`roles`); who holds them is in `user_roles`.
struct SQLRoleRepository: RoleRepository {
    let sql: StoreDatabase

    func all() async throws -> [Role] {
        try await sql.raw("SELECT * FROM roles ORDER BY name").all(decoding: RoleRow.self).map(\.role)
    }

    func find(name: String) async throws -> Role? {
        try await sql.raw("SELECT * FROM roles WHERE name = \(bind: name)").first(decoding: RoleRow.self)?.role
    }

    func row(_ role: Role) -> RoleRow {
        RoleRow(
            id: UUID(),
            name: role.name,
            description: role.description,
            permissions: JSONColumn(role.permissions),
            is_system: role.isSystem,
            requires_mfa: role.requiresMFA,
            created_at: Date(),
            updated_at: Date()
        )
    }

    func create(_ role: Role) async throws {
        do {
            try await sql.insert(into: "roles").model(row(role)).run()
        } catch  where isUniqueViolation(error) {
            throw AuthError.roleExists
        }
    }

    func update(_ role: Role) async throws {
        try await sql.raw(
            """
            UPDATE roles SET description = \(bind: role.description), permissions = \(bind: JSONColumn(role.permissions)),
              requires_mfa = \(bind: role.requiresMFA), updated_at = \(bind: Date()) WHERE name = \(bind: role.name)
            """
        ).run()
    }

    func delete(name: String) async throws -> Bool {
        try await !sql.raw("DELETE FROM roles WHERE name = \(bind: name) RETURNING id").all().isEmpty
    }

    func seed(_ roles: [Role]) async throws {
        for role in roles {
            try await sql.insert(into: "roles").model(row(role)).ignoringConflicts(with: ["name"]).run()
        }
    }

    func members(of name: String) async throws -> [UUID] {
        struct Row: Decodable { var user_id: UUID }
        return try await sql.raw(
            """
            SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = \(bind: name)
            """
        ).all(decoding: Row.self).map(\.user_id)
    }
}
