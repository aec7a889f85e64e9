import FluentKit
import Logging
import NIOCore
import SQLKit

/// The database as the repositories see it: FluentKit's database, spoken to through SQLKit. Every failure that
/// means the database cannot be reached comes out as `AuthError.serviceUnavailable` (see `domainError`), the
/// driver's error type logged; statements, binds, the dialect and all other errors (a unique key broken) pass
/// through unchanged. `withSession` keeps SQLKit's default (run on this handle): nothing here pins a connection.
struct StoreDatabase: SQLDatabase {
    /// A pool handle, or the connection of a transaction in progress.
    let base: any Database

    var logger: Logger { base.sql.logger }
    var eventLoop: any EventLoop { base.sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.sql.version }
    var dialect: any SQLDialect { base.sql.dialect }
    var queryLogLevel: Logger.Level? { base.sql.queryLogLevel }

    func execute(
        sql query: any SQLExpression,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        base.sql.execute(sql: query, onRow).flatMapErrorThrowing { [logger] in throw domainError($0, logger: logger) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await translatingDatabaseErrors(logger: logger) { try await base.sql.execute(sql: query, onRow) }
    }

    var inTransaction: Bool { base.inTransaction }

    /// Runs `body` in a transaction, or in the one already open.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (StoreDatabase) async throws -> T) async throws -> T {
        if base.inTransaction { return try await body(self) }
        // Beginning, committing or rolling back can fail on their own when the connection is lost.
        return try await translatingDatabaseErrors(logger: logger) {
            try await base.transaction { try await body(StoreDatabase(base: $0)) }
        }
    }
}
