import FluentKit
import FluentSQL
import SQLKit

/// TOTP enrolments, recovery codes, login challenges, and the assurance of each session.
struct CreateMFA: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // secret: base32, or sealed (enc:v1:…) under AUTH_ENCRYPTION_KEY.
        try await database.schema("user_totp")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("secret", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_used_step", .int64)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "code_hash", name: "recovery_codes_user_code_key")
            .create()
        try await database.schema("mfa_challenges")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("throttle_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash", name: "mfa_challenges_token_hash_key")
            .create()
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("sessions").field("aal", .int, .required, .sql(.default(1))).update()
        try await database.schema("sessions").field("amr", .string, .required, .sql(.default("pwd"))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("amr").update()
        try await database.schema("sessions").deleteField("aal").update()
        try await database.schema("mfa_challenges").delete()
        try await database.schema("recovery_codes").delete()
        try await database.schema("user_totp").delete()
    }
}
