import FluentKit
import SQLKit

/// SQLite's channel between processes (there is no LISTEN/NOTIFY): a change appends its invalidations here inside
/// its own transaction, and every serving process polls the table (`SQLiteInvalidationPoller`). PostgreSQL uses
/// NOTIFY and has no such table.
struct CreateCacheInvalidations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard !database.isPostgres else { return }
        try await database.sql.raw(
            """
            CREATE TABLE IF NOT EXISTS cache_invalidations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                payload TEXT NOT NULL,
                created_at REAL NOT NULL
            )
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard !database.isPostgres else { return }
        try await database.sql.raw("DROP TABLE IF EXISTS cache_invalidations").run()
    }
}
