import FluentKit
import SQLKit

struct CreateRefreshTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Only SHA-256 hashes of refresh tokens are stored; rotated_at and replaced_by keep the rotation chain
        // so that a replayed token is recognised as reuse.
        try await database.schema("refresh_tokens")
            .id()
            .field("session_id", .uuid, .required, .references("sessions", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("rotated_at", .datetime)
            .field("replaced_by", .uuid)
            .unique(on: "token_hash", name: "refresh_tokens_token_hash_key")
            .create()
        try await database.sql.create(index: "refresh_tokens_session_id_idx").on("refresh_tokens").column("session_id")
            .run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("refresh_tokens").delete()
    }
}
