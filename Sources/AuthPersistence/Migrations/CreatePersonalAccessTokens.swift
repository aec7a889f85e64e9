import FluentKit
import SQLKit

struct CreatePersonalAccessTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // permissions: JSONB on PostgreSQL, JSON text on SQLite (as roles.permissions).
        try await database.schema("personal_access_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("permissions", .dictionary, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime)
            .field("last_used_ip", .string)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "personal_access_tokens_token_hash_key")
            .create()
        try await database.sql.create(index: "personal_access_tokens_user_id_idx").on("personal_access_tokens")
            .column("user_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("personal_access_tokens").delete()
    }
}
