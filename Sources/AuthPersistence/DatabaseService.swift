import AuthCore
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// Owns the connection pools (`Databases`), runs the migrations, and hands out the store (`store()`); joins the
/// application's ServiceLifecycle group and closes the pools on shutdown. What its methods throw when the database
/// cannot be reached is `AuthError.serviceUnavailable`, as from the store.
public final class DatabaseService: Service, Sendable, CustomStringConvertible {
    public var description: String { isPostgres ? "DatabaseService(postgresql)" : "DatabaseService(sqlite)" }
    public let databases: Databases
    public let logger: Logger
    public var isPostgres: Bool { postgresConfiguration != nil }
    let isSQLiteFile: Bool
    private let sqlitePath: String?
    private let eventLoopGroup: any EventLoopGroup
    private let ownsEventLoopGroup: Bool
    private let threadPool: NIOThreadPool
    /// How to open a connection of our own (the invalidation listener); nil on SQLite.
    let postgresConfiguration: PostgresConnection.Configuration?

    public init(configuration: AuthConfiguration, logger: Logger) throws {
        // SQL and driver chatter never reach the logs, whatever LOG_LEVEL says: statements carry bound hashes.
        var logger = logger
        logger.logLevel = max(logger.logLevel, .notice)
        self.logger = logger
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        self.threadPool = threadPool
        switch configuration.database {
        case .sqlite(let path):
            // One connection, on a loop of its own: SQLite serialises writers anyway, and a single connection
            // cannot deadlock two deferred transactions against each other.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            self.eventLoopGroup = group
            self.ownsEventLoopGroup = true
            try SQLiteFiles.prepare(path, logger: logger)
            databases = Databases(threadPool: threadPool, on: group)
            let wait = TimeAmount.seconds(Int64(configuration.sqliteWaitSeconds))
            databases.use(.sqlite(.file(path), connectionPoolTimeout: wait, sqlLogLevel: nil), as: .sqlite)
            sqlitePath = path
            isSQLiteFile = true
            postgresConfiguration = nil
        case .sqliteMemory:
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            self.eventLoopGroup = group
            self.ownsEventLoopGroup = true
            databases = Databases(threadPool: threadPool, on: group)
            let wait = TimeAmount.seconds(Int64(configuration.sqliteWaitSeconds))
            databases.use(.sqlite(.memory, connectionPoolTimeout: wait, sqlLogLevel: nil), as: .sqlite)
            sqlitePath = nil
            isSQLiteFile = false
            postgresConfiguration = nil
        case .postgres(let url):
            let group = MultiThreadedEventLoopGroup.singleton
            self.eventLoopGroup = group
            self.ownsEventLoopGroup = false
            let loops = max(1, Array(group.makeIterator()).count)
            // At least two a loop: start-up holds one for the advisory lock while seeding uses another.
            let perLoop = max(2, (configuration.databasePoolSize + loops - 1) / loops)
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.coreConfiguration.options.connectTimeout = .seconds(3)
            databases = Databases(threadPool: threadPool, on: group)
            databases.use(
                .postgres(
                    configuration: postgres,
                    maxConnectionsPerEventLoop: perLoop,
                    connectionPoolTimeout: .seconds(Int64(configuration.postgresPoolWaitSeconds)),
                    encodingContext: .default,
                    decodingContext: .default,
                    sqlLogLevel: .trace
                ),
                as: .psql
            )
            sqlitePath = nil
            isSQLiteFile = false
            postgresConfiguration = postgres.coreConfiguration
        }
        let databases = self.databases
        handles = eventLoopGroup.makeIterator().map { databases.database(logger: logger, on: $0)! }
    }

    /// Handles on each of the pool's event loops, made once: after shutdown they fail with an error
    /// (the pool is closed) rather than there being no handle at all.
    private let handles: [any Database]

    /// A database handle on one of the pool's event loops.
    public var database: any Database {
        handles.randomElement()!
    }

    public func store() -> SQLAuthStore { SQLAuthStore(service: self) }

    /// Applies pending migrations. On PostgreSQL a session-level advisory lock makes instances that start
    /// at once take turns; `body` (seeding and the like) runs under the same lock.
    public func migrate(revert: Bool = false, then body: (@Sendable () async throws -> Void)? = nil) async throws {
        let migrations = Migrations()
        migrations.add(AuthMigrations.all)
        try await withStartupLock { db in
            let migrator = Migrator(
                databaseFactory: { _ in db },
                migrations: migrations,
                on: db.eventLoop,
                migrationLogLevel: .info
            )
            try await migrator.setupIfNeeded().get()
            if revert {
                try await migrator.revertAllBatches().get()
            } else {
                try await migrator.prepareBatch().get()
            }
            try await body?()
        }
    }

    /// Runs `body` with the PostgreSQL startup lock held (plain call on SQLite, where one connection serialises all).
    public func withStartupLock(_ body: @escaping @Sendable (any Database) async throws -> Void) async throws {
        try await translatingDatabaseErrors { try await withStartupLockUntranslated(body) }
    }

    private func withStartupLockUntranslated(
        _ body: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        guard isPostgres else {
            // Instances sharing one SQLite file take turns through an exclusive lock on a file beside it.
            guard let sqlitePath else {
                try await body(database)
                return
            }
            // flock blocks: wait on the thread pool, never on a cooperative thread.
            let lock = try await threadPool.runIfActive { try FileLock(path: sqlitePath + ".startup-lock") }
            do {
                try await body(database)
            } catch {
                lock.unlock()
                throw error
            }
            lock.unlock()
            return
        }
        try await database.withConnection { connection in
            let sql = connection.sql
            try await sql.raw("SELECT pg_advisory_lock(\(literal: Self.startupLockKey))").run()
            do {
                try await body(connection)
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.startupLockKey))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.startupLockKey))").run()
        }
    }

    static let startupLockKey = 7_365_420_117

    /// SQLite: WAL journal for concurrent readers with one writer.
    public func configureConnection() async throws {
        guard isSQLiteFile else { return }
        _ = try await translatingDatabaseErrors { try await database.sql.raw("PRAGMA journal_mode=WAL").all() }
    }

    /// Answers within `timeout` when the database does; throws `AuthError.serviceUnavailable` when it does not.
    public func ping(timeout: Duration = .seconds(2)) async throws {
        try await translatingDatabaseErrors { try await selectOne(within: timeout) }
    }

    /// `SELECT 1`; `DatabaseUnavailable` when no answer comes within `timeout`.
    func selectOne(within timeout: Duration) async throws {
        let sql = database.sql
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await sql.raw("SELECT 1").all() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DatabaseUnavailable()
            }
            try await group.next()
            group.cancelAll()
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        if ownsEventLoopGroup { try? await eventLoopGroup.shutdownGracefully() }
        try? await threadPool.shutdownGracefully()
    }
}

public struct DatabaseUnavailable: Error {}

/// An exclusive advisory lock on a file (flock), held until `unlock`.
final class FileLock: Sendable {
    let descriptor: Int32
    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw DatabaseUnavailable() }
        guard flock(descriptor, LOCK_EX) == 0 else {
            close(descriptor)
            throw DatabaseUnavailable()
        }
    }
    func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
