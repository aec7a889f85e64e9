import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Synchronization

/// Wraps the server's child channel: refuses a connection beyond the cap before anything is read from it (closed at
/// once, counted in `authd_http_connections_refused_total`), counts the open ones, and puts `SlowClientGuard` first
/// in every pipeline. The accept loop itself backs off when the process runs out of file descriptors (NIO's
/// `AcceptBackoffHandler`, on by default), so it never spins.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    final class Counter: Sendable {
        let open = Atomic<Int>(0)
    }

    let base: Base
    let maxConnections: Int
    let headerTimeout: TimeAmount
    let metrics: NetworkMetrics
    let counter: Counter

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (_, open) = counter.open.add(1, ordering: .relaxed)
        guard open <= maxConnections else {
            counter.open.subtract(1, ordering: .relaxed)
            metrics.refused.increment()
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        metrics.open.record(open)
        let counter = self.counter
        let metrics = self.metrics
        channel.closeFuture.whenComplete { _ in
            let (_, left) = counter.open.subtract(1, ordering: .relaxed)
            metrics.open.record(left)
        }
        do {
            try channel.pipeline.syncOperations.addHandler(
                SlowClientGuard(timeout: headerTimeout, metrics: metrics),
                position: .first
            )
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
