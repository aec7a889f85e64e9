import FluentKit
import SQLKit

/// Indexes for the admin list's sorted and filtered pages: last login newest first with never-logged-in users
/// last, the activity/verification filters in creation order, and the role filter.
struct CreateUserListIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        if database.isPostgres {
            // SQLite takes NULLS LAST in ORDER BY but not in an index; it has users_last_login_at_idx.
            try await sql.raw(
                "CREATE INDEX IF NOT EXISTS users_last_login_at_desc_idx ON users (last_login_at DESC NULLS LAST, id DESC)"
            ).run()
        }
        try await sql.raw(
            "CREATE INDEX IF NOT EXISTS users_active_verified_created_idx ON users (is_active, is_verified, created_at)"
        ).run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS user_roles_role_user_idx ON user_roles (role_id, user_id)").run()
    }
    func revert(on database: any Database) async throws {
        for index in ["users_last_login_at_desc_idx", "users_active_verified_created_idx", "user_roles_role_user_idx"] {
            try await database.sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: index)").run()
        }
    }
}
