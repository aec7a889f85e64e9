import Metrics
import NIOCore
import NIOHTTPTypes

/// The counters of the connection guards, shared by every connection.
struct NetworkMetrics: Sendable {
    let open = Gauge(label: "authd_http_connections_open")
    let refused = Counter(label: "authd_http_connections_refused_total")
    let headerTimeouts = Counter(label: "authd_http_timeouts_total", dimensions: [("kind", "header")])
    let bodyTimeouts = Counter(label: "authd_http_timeouts_total", dimensions: [("kind", "body")])
}

/// A handler that keeps a `LazyDeadline`: its timer calls back here, and the handler asks `fired` whether to act.
protocol DeadlineOwner: AnyObject {
    func deadlineTimerFired(_ context: ChannelHandlerContext)
}

/// A deadline checked by one lazily armed timer: setting or clearing the deadline, once per request on a kept-alive
/// connection, costs a clock read, not a scheduled task and its cancellation (nor a closure: one is made only when a
/// timer is armed). When the timer fires the owner closes the channel if the deadline has passed; otherwise the timer
/// re-arms itself for a later deadline, and stops when there is none.
struct LazyDeadline {
    private(set) var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    mutating func set(_ deadline: NIODeadline, context: ChannelHandlerContext, owner: any DeadlineOwner) {
        self.deadline = deadline
        if timer == nil { arm(at: deadline, context: context, owner: owner) }
    }

    mutating func clear() { deadline = nil }

    mutating func cancel() {
        timer?.cancel()
        timer = nil
        deadline = nil
    }

    /// Called by the owner when the timer fired: true when the deadline passed; otherwise re-armed for the current
    /// deadline, if any.
    mutating func fired(context: ChannelHandlerContext, owner: any DeadlineOwner) -> Bool {
        timer = nil
        guard let deadline else { return false }
        if deadline <= .now() { return true }
        arm(at: deadline, context: context, owner: owner)
        return false
    }

    private mutating func arm(at deadline: NIODeadline, context: ChannelHandlerContext, owner: any DeadlineOwner) {
        let bound = NIOLoopBound((owner, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (owner, context) = bound.value
            owner.deadlineTimerFired(context)
        }
    }
}

/// First in a connection's pipeline (it sees the raw bytes, before TLS and HTTP): once bytes of a request arrive and
/// no request of the connection has its headers yet, the headers must follow within `timeout` or the connection
/// closes. Over TLS the handshake counts too. `RequestBodyGuard`, after the HTTP decoder, says when headers arrived
/// and when a request ended. An idle connection is the HTTP layer's idle timeout's to close.
final class SlowClientGuard: ChannelInboundHandler, RemovableChannelHandler, DeadlineOwner {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeout: TimeAmount
    let metrics: NetworkMetrics
    private var openRequests = 0
    private var headers = LazyDeadline()

    init(timeout: TimeAmount, metrics: NetworkMetrics) {
        self.timeout = timeout
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if openRequests == 0 && headers.deadline == nil {
            headers.set(.now() + timeout, context: context, owner: self)
        }
        context.fireChannelRead(data)
    }

    func deadlineTimerFired(_ context: ChannelHandlerContext) {
        guard headers.fired(context: context, owner: self) else { return }
        metrics.headerTimeouts.increment()
        context.close(promise: nil)
    }

    func headersReceived() {
        headers.clear()
        openRequests += 1
    }

    func requestEnded() {
        openRequests = max(0, openRequests - 1)
    }

    func channelInactive(context: ChannelHandlerContext) {
        headers.cancel()
        context.fireChannelInactive()
    }
}

/// After the HTTP decoder (on HTTP/2, in each stream): tells the connection's `SlowClientGuard` when a request's
/// headers arrived, and closes the request's channel when its body has not ended within `timeout`.
final class RequestBodyGuard: ChannelInboundHandler, RemovableChannelHandler, DeadlineOwner {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    let metrics: NetworkMetrics
    private var body = LazyDeadline()
    /// This connection's guard (HTTP/1: this pipeline; HTTP/2: the stream's parent), found once.
    private var connectionGuard: SlowClientGuard?

    init(timeout: TimeAmount, metrics: NetworkMetrics) {
        self.timeout = timeout
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connectionGuard =
            (try? context.channel.pipeline.syncOperations.handler(type: SlowClientGuard.self))
            ?? (try? context.channel.parent?.pipeline.syncOperations.handler(type: SlowClientGuard.self))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            connectionGuard?.headersReceived()
            body.set(.now() + timeout, context: context, owner: self)
        case .end:
            body.clear()
            connectionGuard?.requestEnded()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func deadlineTimerFired(_ context: ChannelHandlerContext) {
        guard body.fired(context: context, owner: self) else { return }
        metrics.bodyTimeouts.increment()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if body.deadline != nil { connectionGuard?.requestEnded() }
        body.cancel()
        context.fireChannelInactive()
    }
}
