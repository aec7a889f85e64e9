import FluentKit
import SQLKit

/// Every migration, in the order it runs. Append; never reorder or edit one that has shipped.
public enum AuthMigrations {
    public static let all: [any Migration] = [
        CreateUsers(), CreateRoles(), CreateUserRoles(), CreateSessions(), CreateRefreshTokens(),
        CreateSigningKeys(), CreateAuditEvents(), CreateServiceClients(), CreateLoginThrottle(),
        CreateUserSearchIndexes(), CreateUserListIndexes(),
    ]
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
    var isPostgres: Bool { sql.dialect.name == "postgresql" }
}

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
        try await database.sql.create(index: "refresh_tokens_session_id_idx").on("refresh_tokens").column("session_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("refresh_tokens").delete()
    }
}

struct CreateSigningKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("signing_keys")
            .field("kid", .string, .identifier(auto: false))
            .field("algorithm", .string, .required)
            .field("private_key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("signing_keys").delete()
    }
}

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
        try await database.sql.create(index: "audit_events_occurred_at_idx").on("audit_events").column("occurred_at").run()
        try await database.sql.create(index: "audit_events_user_id_idx").on("audit_events").column("user_id").column("occurred_at").run()
        try await database.sql.create(index: "audit_events_action_idx").on("audit_events").column("action").column("occurred_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}

struct CreateServiceClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_clients")
            .id()
            .field("name", .string, .required)
            .field("client_id", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", name: "service_clients_client_id_key")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("service_clients").delete()
    }
}

struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttle")
            .field("email_key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_started_at", .datetime, .required)
            .field("hour_failures", .int, .required)
            .field("hour_started_at", .datetime, .required)
            .field("locked_until", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("login_throttle").delete()
    }
}

/// Substring search over email and names. On PostgreSQL: trigram GIN indexes on the lower-cased columns,
/// so `LIKE '%term%'` uses an index at a million rows. SQLite scans (it is the small, embedded option).
struct CreateUserSearchIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard database.isPostgres else { return }
        try await database.sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        try await database.sql.raw("""
            CREATE INDEX IF NOT EXISTS users_search_trgm_idx ON users USING gin (
              (lower(email) || ' ' || lower(coalesce(display_name, '')) || ' ' || lower(coalesce(given_name, ''))
               || ' ' || lower(coalesce(family_name, ''))) gin_trgm_ops)
            """).run()
        try await database.sql.raw("CREATE INDEX IF NOT EXISTS users_is_active_created_at_idx ON users (is_active, created_at)").run()
    }
    func revert(on database: any Database) async throws {
        guard database.isPostgres else { return }
        try await database.sql.raw("DROP INDEX IF EXISTS users_search_trgm_idx").run()
        try await database.sql.raw("DROP INDEX IF EXISTS users_is_active_created_at_idx").run()
    }
}

/// Indexes for the admin list's sorted and filtered pages: last login newest first with never-logged-in users
/// last, and the activity/verification filters in creation order.
struct CreateUserListIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        if database.isPostgres {
            // SQLite takes NULLS LAST in ORDER BY but not in an index; it has users_last_login_at_idx.
            try await database.sql.raw("CREATE INDEX IF NOT EXISTS users_last_login_at_desc_idx ON users (last_login_at DESC NULLS LAST, id DESC)").run()
        }
        try await database.sql.raw("CREATE INDEX IF NOT EXISTS users_active_verified_created_idx ON users (is_active, is_verified, created_at)").run()
        try await database.sql.raw("CREATE INDEX IF NOT EXISTS user_roles_role_user_idx ON user_roles (role_id, user_id)").run()
    }
    func revert(on database: any Database) async throws {
        for index in ["users_last_login_at_desc_idx", "users_active_verified_created_idx", "user_roles_role_user_idx"] {
            try await database.sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: index)").run()
        }
    }
}
