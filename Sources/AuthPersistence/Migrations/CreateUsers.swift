import FluentKit
import SQLKit

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("display_name", .string)
            .field("given_name", .string)
            .field("family_name", .string)
            .field("locale", .string)
            .field("timezone", .string)
            .field("avatar_url", .string)
            .field("is_active", .bool, .required)
            .field("is_verified", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("last_login_at", .datetime)
            .unique(on: "email", name: "users_email_key")
            .create()
        try await database.sql.create(index: "users_created_at_idx").on("users").column("created_at").run()
        try await database.sql.create(index: "users_last_login_at_idx").on("users").column("last_login_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
