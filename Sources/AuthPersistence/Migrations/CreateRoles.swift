import FluentKit

struct CreateRoles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // permissions: JSONB on PostgreSQL, JSON text on SQLite.
        try await database.schema("roles")
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("permissions", .dictionary, .required)
            .field("is_system", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name", name: "roles_name_key")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("roles").delete()
    }
}
