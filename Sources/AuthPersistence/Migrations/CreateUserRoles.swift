import FluentKit
import SQLKit

struct CreateUserRoles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("user_roles")
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role_id", .uuid, .required, .references("roles", "id", onDelete: .cascade))
            .compositeIdentifier(over: "user_id", "role_id")
            .create()
        try await database.sql.create(index: "user_roles_role_id_idx").on("user_roles").column("role_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("user_roles").delete()
    }
}
