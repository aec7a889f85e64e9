import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// How the scripted server behaves: what it offers and where it deviates from a happy conversation.
struct SMTPServerScript: Sendable {
    /// Sent on connect; nil: the server never says anything (for the timeout test).
    var greeting: String? = "220 test.invalid ESMTP ready"
    var extensions: [String] = ["PIPELINING", "8BITMIME", "AUTH PLAIN LOGIN"]
    /// Offer (and accept) STARTTLS on the plaintext connection.
    var offerStartTLS = false
    /// TLS from the first byte (smtps).
    var implicitTLS = false
    /// Replaces the normal reply for a verb: `MAIL`, `RCPT`, `DATA`, `END` (end of data), `AUTH`, `EHLO`.
    var replies: [String: String] = [:]
    /// Close the connection as soon as the first line of message data arrives.
    var dropDuringData = false
    /// Answer STARTTLS with a `220` and, in the same write, a reply nobody asked for (a response injection).
    var injectAfterStartTLS = false
}

/// What the client sent, line by line, and whether each line came over TLS.
final class SMTPTranscript: Sendable {
    struct Command: Sendable, Equatable {
        var line: String
        var tls: Bool
    }

    private let state = Mutex<(commands: [Command], data: [String])>(([], []))

    var commands: [Command] { state.withLock { $0.commands } }
    var commandLines: [String] { commands.map(\.line) }
    /// The message lines between `DATA` and the terminating `.`, exactly as on the wire (still dot-stuffed).
    var dataLines: [String] { state.withLock { $0.data } }

    func record(command: String, tls: Bool) { state.withLock { $0.commands.append(Command(line: command, tls: tls)) } }
    func record(dataLine: String) { state.withLock { $0.data.append(dataLine) } }
}

/// A tiny SMTP server on a loopback address (127.0.0.1 unless told otherwise; the system picks the port) that
/// follows a `SMTPServerScript` and records the conversation, so the tests see exactly what the client put on the
/// wire.
final class ScriptedSMTPServer: Sendable {
    let channel: any Channel
    let transcript: SMTPTranscript
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, transcript: SMTPTranscript) {
        self.channel = channel
        self.transcript = transcript
    }

    static func start(
        _ script: SMTPServerScript = SMTPServerScript(),
        host: String = "127.0.0.1"
    ) async throws -> ScriptedSMTPServer {
        let transcript = SMTPTranscript()
        let tls = try TestCertificates.serverContext()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if script.implicitTLS {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedSMTPHandler(script: script, transcript: transcript, tls: tls)
                    )
                }
            }
            .bind(host: host, port: 0)
            .get()
        return ScriptedSMTPServer(channel: channel, transcript: transcript)
    }

    func stop() async {
        try? await channel.close()
    }

    /// Runs `body` with a started server and always stops it.
    static func with<T>(
        _ script: SMTPServerScript = SMTPServerScript(),
        host: String = "127.0.0.1",
        _ body: (ScriptedSMTPServer) async throws -> T
    ) async throws -> T {
        let server = try await start(script, host: host)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

private final class ScriptedSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let script: SMTPServerScript
    private let transcript: SMTPTranscript
    private let tls: NIOSSLContext
    private var buffer: [UInt8] = []
    private var tlsActive: Bool
    private var inData = false
    private var authLoginStep = 0

    init(script: SMTPServerScript, transcript: SMTPTranscript, tls: NIOSSLContext) {
        self.script = script
        self.transcript = transcript
        self.tls = tls
        self.tlsActive = script.implicitTLS
    }

    func channelActive(context: ChannelHandlerContext) {
        if let greeting = script.greeting { send(context, greeting) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.append(contentsOf: bytes.readBytes(length: bytes.readableBytes) ?? [])
        while let end = crlfIndex() {
            let line = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + 2)
            handle(line, context: context)
        }
    }

    private func crlfIndex() -> Int? {
        guard buffer.count >= 2 else { return nil }
        for index in 0..<(buffer.count - 1) where buffer[index] == 13 && buffer[index + 1] == 10 { return index }
        return nil
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        if inData {
            if script.dropDuringData {
                context.close(promise: nil)
                return
            }
            if line == "." {
                inData = false
                send(context, script.replies["END"] ?? "250 2.0.0 queued as TEST")
            } else {
                transcript.record(dataLine: line)
            }
            return
        }
        transcript.record(command: line, tls: tlsActive)
        if authLoginStep > 0 {
            authLoginStep += 1
            send(context, authLoginStep == 2 ? "334 UGFzc3dvcmQ6" : (script.replies["AUTH"] ?? "235 2.7.0 ok"))
            if authLoginStep == 3 { authLoginStep = 0 }
            return
        }
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        if let reply = script.replies[verb], verb != "AUTH" || !line.uppercased().hasPrefix("AUTH LOGIN") {
            send(context, reply)
            return
        }
        switch verb {
        case "EHLO":
            var lines = ["test.invalid greets you"] + script.extensions
            if script.offerStartTLS && !tlsActive { lines.append("STARTTLS") }
            let reply = lines.enumerated().map { "250\($0.offset == lines.count - 1 ? " " : "-")\($0.element)" }
            send(context, reply.joined(separator: "\r\n"))
        case "STARTTLS" where script.offerStartTLS && !tlsActive:
            send(context, script.injectAfterStartTLS ? "220 go ahead\r\n250 injected" : "220 2.0.0 go ahead")
            buffer = []
            tlsActive = true
            try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        case "AUTH" where line.uppercased().hasPrefix("AUTH LOGIN"):
            authLoginStep = 1
            send(context, "334 VXNlcm5hbWU6")
        case "AUTH":
            send(context, "235 2.7.0 Authentication successful")
        case "MAIL", "RCPT":
            send(context, "250 2.1.0 ok")
        case "DATA":
            inData = true
            send(context, "354 end data with <CR><LF>.<CR><LF>")
        case "QUIT":
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "221 2.0.0 bye\r\n")))
                .assumeIsolated()
                .whenComplete { _ in context.close(promise: nil) }
        default:
            send(context, "502 5.5.2 command not recognized")
        }
    }

    private func send(_ context: ChannelHandlerContext, _ reply: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply + "\r\n")), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
