import FluentKit
import SQLKit

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("occurred_at", .datetime, .required)
            .field("action", .string, .required)
            .field("outcome", .string, .required)
            .field("actor_id", .uuid)
            .field("user_id", .uuid)
            .field("ip", .string)
            .field("user_agent", .string)
            .field("request_id", .string)
            .field("details", .dictionary, .required)
            .create()
        try await database.sql.create(index: "audit_events_occurred_at_idx").on("audit_events").column("occurred_at")
            .run()
        try await database.sql.create(index: "audit_events_user_id_idx").on("audit_events").column("user_id").column(
            "occurred_at"
        ).run()
        try await database.sql.create(index: "audit_events_action_idx").on("audit_events").column("action").column(
            "occurred_at"
        ).run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
