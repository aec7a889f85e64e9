import NIOCore

/// One SMTP reply: a three-digit code and its text lines (one for `250 OK`, several for an `EHLO` answer).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The text of all lines, joined with spaces, for error messages.
    var text: String { lines.joined(separator: " ") }
}

/// What goes wrong below the SMTP dialogue; `SMTPClient` turns these into `MailDeliveryError`s.
enum SMTPConnectionError: Error, Equatable {
    /// No reply within `commandTimeout`.
    case timeout
    /// The server closed the connection while a reply was awaited.
    case connectionClosed
    /// A reply that no command asked for: a broken server, or bytes injected before a TLS upgrade.
    case unsolicitedReply
    /// Not an SMTP reply line (no code, a line too long, too many lines).
    case malformedReply
}

/// Splits the byte stream into CRLF lines and assembles multi-line replies (`250-…` continued, `250 …` last).
///
/// Why a decoder of our own: NIO has line splitting but nothing for SMTP's continuation lines, and limits on line
/// length and line count keep a hostile server from growing our buffers without bound.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    static let maxLineLength = 4096
    static let maxLines = 200

    private var pendingLines: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPConnectionError.malformedReply }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maxLineLength, var line = buffer.readString(length: length) else {
            throw SMTPConnectionError.malformedReply
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        if let reply = try self.consume(line) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A partial reply at EOF is dropped: the client handler reports the closed connection.
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Adds one line; returns the reply when the line was its last.
    private mutating func consume(_ line: String) throws -> SMTPReply? {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (48...57).contains($0) }),
            let code = Int(String(decoding: utf8[0..<3], as: UTF8.self))
        else { throw SMTPConnectionError.malformedReply }
        let separator = utf8.count > 3 ? utf8[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPConnectionError.malformedReply
        }
        if let pendingCode, pendingCode != code { throw SMTPConnectionError.malformedReply }
        pendingCode = code
        pendingLines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        guard pendingLines.count <= Self.maxLines else { throw SMTPConnectionError.malformedReply }
        guard separator == UInt8(ascii: " ") else { return nil }
        defer {
            pendingLines = []
            pendingCode = nil
        }
        return SMTPReply(code: code, lines: pendingLines)
    }
}

/// A command for `SMTPClientHandler`: the bytes to send (nil: only wait, for the greeting) and the promise that
/// receives the server's reply.
struct SMTPRequest: Sendable {
    var bytes: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
}

/// Pairs each reply with the command that asked for it, and enforces the per-reply timeout.
///
/// SMTP without pipelining is strictly one command, one reply; this handler keeps the promises in order. On a
/// timeout it fails the waiting promise and closes the channel; on an error or a close it fails every waiting
/// promise, so no caller is left hanging and no promise leaks.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var waiting: [(promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>?)] = []
    private let commandTimeout: TimeAmount

    /// - Parameter greeting: receives the `220` greeting the server sends unasked once connected.
    init(greeting: EventLoopPromise<SMTPReply>, commandTimeout: TimeAmount) {
        self.commandTimeout = commandTimeout
        self.waiting = [(greeting, nil)]
    }

    func channelActive(context: ChannelHandlerContext) {
        // The greeting's clock starts with the connection.
        if let first = waiting.first, first.timeout == nil {
            waiting[0].timeout = scheduleTimeout(context: context, for: first.promise)
        }
        context.fireChannelActive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append((request.reply, scheduleTimeout(context: context, for: request.reply)))
        if let bytes = request.bytes {
            context.write(wrapOutboundOut(bytes), promise: promise)
        } else {
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard !waiting.isEmpty else {
            failAll(SMTPConnectionError.unsolicitedReply)
            context.close(promise: nil)
            return
        }
        let first = waiting.removeFirst()
        first.timeout?.cancel()
        first.promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPConnectionError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(SMTPConnectionError.connectionClosed)
    }

    private func failAll(_ error: any Error) {
        let failing = waiting
        waiting = []
        for entry in failing {
            entry.timeout?.cancel()
            entry.promise.fail(error)
        }
    }

    private func scheduleTimeout(
        context: ChannelHandlerContext,
        for promise: EventLoopPromise<SMTPReply>
    ) -> Scheduled<Void> {
        context.eventLoop.assumeIsolated().scheduleTask(in: commandTimeout) { [self] in
            guard let index = waiting.firstIndex(where: { $0.promise.futureResult === promise.futureResult })
            else { return }
            waiting.remove(at: index)
            promise.fail(SMTPConnectionError.timeout)
            context.close(promise: nil)
        }
    }
}
