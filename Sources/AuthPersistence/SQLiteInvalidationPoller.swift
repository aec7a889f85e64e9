import AuthCore
import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// SQLite's side of cross-process invalidation: reads the invalidation log (`cache_invalidations`, appended by
/// `SQLAuthStore.announce` inside each change's transaction) every `interval` and applies what other processes (the
/// operator CLI, a second server on the same file) announced. While it polls, the hub lets entries live the long TTL,
/// as on PostgreSQL with LISTEN; a failed poll, or one that comes far too late, empties the caches and falls back to
/// the short TTL until polling works again. Rows older than `retention` are pruned.
public final class SQLiteInvalidationPoller: Service, CustomStringConvertible {
    public var description: String { "SQLiteInvalidationPoller" }
    let database: DatabaseService
    let hub: InvalidationHub
    let interval: Duration
    let retention: TimeInterval = 300

    public init?(database: DatabaseService, hub: InvalidationHub, interval: Duration = .milliseconds(200)) {
        guard !database.isPostgres else { return nil }
        self.database = database
        self.hub = hub
        self.interval = interval
    }

    private var sql: StoreDatabase { StoreDatabase(base: database.database) }

    struct Row: Decodable {
        let id: Int64
        let payload: String
    }

    public func run() async throws {
        var last: Int64?
        var lastPoll = Date()
        var lastPrune = Date.distantPast
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                if let seen = last {
                    let rows = try await sql.raw(
                        "SELECT id, payload FROM cache_invalidations WHERE id > \(bind: seen) ORDER BY id LIMIT 1000"
                    ).all(decoding: Row.self)
                    // Polls this late may have missed pruned rows: start over from an empty cache.
                    if Date().timeIntervalSince(lastPoll) > retention / 2 { hub.listenerChanged(connected: true) }
                    for row in rows {
                        if let message = CacheInvalidation(payload: row.payload) { hub.received(message) }
                        last = row.id
                    }
                } else {
                    struct Newest: Decodable { let id: Int64? }
                    let newest = try await sql.raw("SELECT MAX(id) AS id FROM cache_invalidations")
                        .first(decoding: Newest.self)
                    last = newest?.id ?? 0
                    hub.listenerChanged(connected: true)
                }
                lastPoll = Date()
                if lastPoll.timeIntervalSince(lastPrune) > 30 {
                    let cutoff = lastPoll.timeIntervalSince1970 - retention
                    try await sql.raw("DELETE FROM cache_invalidations WHERE created_at < \(bind: cutoff)").run()
                    lastPrune = lastPoll
                }
            } catch {
                if hub.isListening {
                    database.logger.warning(
                        "invalidation poller cannot read the log",
                        metadata: ["error_type": .string(String(reflecting: type(of: error)))]
                    )
                    hub.listenerChanged(connected: false)
                }
                last = nil
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
        if hub.isListening { hub.listenerChanged(connected: false) }
    }
}
