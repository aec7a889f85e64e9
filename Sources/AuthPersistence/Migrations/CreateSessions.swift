import FluentKit
import SQLKit

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revoke_reason", .string)
            .field("ip", .string)
            .field("user_agent", .string)
            .create()
        try await database.sql.create(index: "sessions_user_id_idx").on("sessions").column("user_id").run()
        try await database.sql.create(index: "sessions_expires_at_idx").on("sessions").column("expires_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}
