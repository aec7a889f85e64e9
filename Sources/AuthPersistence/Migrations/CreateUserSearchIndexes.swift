import FluentKit
import SQLKit

/// Substring search over email and names. On PostgreSQL: a trigram GIN index on `UserSearch.expression`, so that
/// `LIKE '%term%'` is answered from the index rather than by reading every user. SQLite scans (it is the small,
/// embedded option). Also the (is_active, created_at) index for the activity filter.
struct CreateUserSearchIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard database.isPostgres else { return }
        try await database.sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        try await database.sql.raw("\(unsafeRaw: UserSearch.createIndex)").run()
        try await database.sql.raw(
            "CREATE INDEX IF NOT EXISTS users_is_active_created_at_idx ON users (is_active, created_at)"
        ).run()
    }
    func revert(on database: any Database) async throws {
        guard database.isPostgres else { return }
        try await database.sql.raw("DROP INDEX IF EXISTS users_search_trgm_idx").run()
        try await database.sql.raw("DROP INDEX IF EXISTS users_is_active_created_at_idx").run()
    }
}
