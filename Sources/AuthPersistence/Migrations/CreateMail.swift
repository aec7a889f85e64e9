import FluentKit
import FluentSQL
import SQLKit

/// Mailed verification and reset requests, the mail outbox, and server secrets (the key of the requests' hashes when
/// no AUTH_ENCRYPTION_KEY is set).
struct CreateMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("email_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("email", .string, .required)
            .field("token_hash", .string, .required)
            .field("code_hash", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash", name: "email_tokens_token_hash_key")
            .create()
        // user_id and payload are kept when the user is deleted: an unsent notice may still be due (payload holds no
        // secret for notices), and admins see what happened to each mail.
        try await database.schema("mail_outbox")
            .id()
            .field("message_id", .string, .required)
            .field("kind", .string, .required)
            .field("recipient", .string, .required)
            .field("locale", .string)
            .field("payload", .string)
            .field("user_id", .uuid)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .create()
        try await database.schema("server_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        try await sql.raw("CREATE INDEX email_tokens_user_purpose_idx ON email_tokens (user_id, purpose, created_at)")
            .run()
        try await sql.raw("CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at)").run()
        try await sql.raw("CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (recipient, kind, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("server_secrets").delete()
        try await database.schema("mail_outbox").delete()
        try await database.schema("email_tokens").delete()
    }
}
