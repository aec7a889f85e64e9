import AuthCore
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// Listens for invalidations from the other instances and applies them to this one's caches. While it is
/// connected the hub lets entries live longer; when the connection fails (or stops answering a ping every
/// `pingInterval`), the caches are emptied, entries go back to the short TTL, and it reconnects with backoff.
/// Sending is `SQLAuthStore.announce`: a `pg_notify` inside the change's own transaction.
public final class PostgresInvalidationListener: Service, CustomStringConvertible {
    public static let channel = "authd_invalidation"
    public var description: String { "PostgresInvalidationListener" }
    public static let applicationName = "authd-invalidation-listener"
    let configuration: PostgresConnection.Configuration
    let hub: InvalidationHub
    let logger: Logger
    let pingInterval: Duration

    public init?(database: DatabaseService, hub: InvalidationHub, pingInterval: Duration = .seconds(5)) {
        guard var configuration = database.postgresConfiguration else { return nil }
        // Named, so an operator (or a test) can find it in pg_stat_activity.
        configuration.options.additionalStartupParameters.append(("application_name", Self.applicationName))
        self.configuration = configuration
        self.hub = hub
        self.logger = database.logger
        self.pingInterval = pingInterval
    }

    public func run() async throws {
        var failures = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(),
                    configuration: configuration,
                    id: 0,
                    logger: logger
                )
                do {
                    try await listen(on: connection)
                } catch  where !Task.isShuttingDownGracefully && !Task.isCancelled {
                    logger.warning(
                        "invalidation listener lost its connection",
                        metadata: ["error_type": .string(String(reflecting: type(of: error)))]
                    )
                } catch {}
                try? await connection.close()
            } catch {
                logger.warning(
                    "invalidation listener cannot connect",
                    metadata: ["error_type": .string(String(reflecting: type(of: error)))]
                )
            }
            if hub.isListening {
                hub.listenerChanged(connected: false)
                failures = 0
            }
            failures += 1
            let backoff = Duration.milliseconds(250 * min(failures, 20))
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: backoff) }
        }
        if hub.isListening { hub.listenerChanged(connected: false) }
    }

    /// Until the connection fails, a ping goes unanswered, or the service shuts down.
    private func listen(on connection: PostgresConnection) async throws {
        try await connection.listen(on: Self.channel) { notifications in
            hub.listenerChanged(connected: true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [hub] in
                    for try await notification in notifications.cancelOnGracefulShutdown() {
                        if let message = CacheInvalidation(payload: notification.payload) { hub.received(message) }
                    }
                }
                group.addTask { [pingInterval, logger] in
                    while true {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: pingInterval) }
                        if Task.isShuttingDownGracefully { return }
                        try await withThrowingTaskGroup(of: Void.self) { ping in
                            ping.addTask { _ = try await connection.query("SELECT 1", logger: logger).collect() }
                            ping.addTask {
                                try await Task.sleep(for: .seconds(3))
                                // A half-open connection would hold the query for the kernel's retransmission time
                                // (minutes), and the query ignores cancellation: closing fails it at once.
                                try? await connection.close()
                                throw DatabaseUnavailable()
                            }
                            try await ping.next()
                            ping.cancelAll()
                        }
                    }
                }
                // Whichever ends first (shutdown, a failure) ends both.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
