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

/// First in a connection's pipeline (it sees the raw bytes, before TLS and HTTP): once bytes of a request arrive and
/// no request of the connection has its headers yet, the headers must follow within `timeout` or the connection
/// closes. Over TLS the handshake counts too. `RequestBodyGuard`, after the HTTP decoder, says when headers arrived
/// and when a request ended. An idle connection is the HTTP layer's idle timeout's to close.
final class SlowClientGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeout: TimeAmount
    let metrics: NetworkMetrics
    private var openRequests = 0
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, metrics: NetworkMetrics) {
        self.timeout = timeout
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if openRequests == 0 && timer == nil {
            let bound = NIOLoopBound((context, metrics), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: timeout) {
                let (context, metrics) = bound.value
                metrics.headerTimeouts.increment()
                context.close(promise: nil)
            }
        }
        context.fireChannelRead(data)
    }

    func headersReceived() {
        timer?.cancel()
        timer = nil
        openRequests += 1
    }

    func requestEnded() {
        openRequests = max(0, openRequests - 1)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}

/// After the HTTP decoder (on HTTP/2, in each stream): tells the connection's `SlowClientGuard` when a request's
/// headers arrived, and closes the request's channel when its body has not ended within `timeout`.
final class RequestBodyGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    let metrics: NetworkMetrics
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, metrics: NetworkMetrics) {
        self.timeout = timeout
        self.metrics = metrics
    }

    private func connectionGuard(_ context: ChannelHandlerContext) -> SlowClientGuard? {
        // HTTP/1: this connection's pipeline; HTTP/2: the stream's parent, the connection.
        if let own = try? context.channel.pipeline.syncOperations.handler(type: SlowClientGuard.self) { return own }
        return try? context.channel.parent?.pipeline.syncOperations.handler(type: SlowClientGuard.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            connectionGuard(context)?.headersReceived()
            timer?.cancel()
            let bound = NIOLoopBound((context, metrics), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: timeout) {
                let (context, metrics) = bound.value
                metrics.bodyTimeouts.increment()
                context.close(promise: nil)
            }
        case .end:
            timer?.cancel()
            timer = nil
            connectionGuard(context)?.requestEnded()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if timer != nil { connectionGuard(context)?.requestEnded() }
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
