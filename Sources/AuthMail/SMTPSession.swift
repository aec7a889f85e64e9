import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The dialogue on one connected channel: greeting, EHLO, STARTTLS, AUTH, MAIL/RCPT/DATA, QUIT.
///
/// Every reply is checked against what the stage expects; a 4xx becomes `.transient`, a 5xx `.permanent`, with a
/// message such as `SMTP 451 after RCPT: …` that never holds a credential or the message body.
struct SMTPSession {
    let channel: any Channel
    let configuration: SMTPClient.Configuration
    let tlsContext: NIOSSLContext?
    let greeting: EventLoopFuture<SMTPReply>

    func run(from: String, to: [String], data: String) async throws {
        try expect(try await wait(greeting, stage: "greeting"), 220, stage: "greeting")
        var extensions = try await ehlo()
        if configuration.security == .startTLS {
            guard extensions.keys.contains("STARTTLS") else {
                throw MailDeliveryError.permanent("server does not offer STARTTLS")
            }
            try expect(try await command("STARTTLS", stage: "STARTTLS"), 220, stage: "STARTTLS")
            try await startTLS()
            extensions = try await ehlo()
        }
        if let username = configuration.username {
            try await authenticate(username: username, password: configuration.password ?? "", extensions: extensions)
        }
        try expect(try await command("MAIL FROM:<\(from)>", stage: "MAIL FROM"), 250, stage: "MAIL FROM")
        for recipient in to {
            try expect(try await command("RCPT TO:<\(recipient)>", stage: "RCPT"), 250, 251, stage: "RCPT")
        }
        try expect(try await command("DATA", stage: "DATA"), 354, stage: "DATA")
        var body = channel.allocator.buffer(capacity: data.utf8.count + 64)
        body.writeBytes(Self.dotStuffed(data))
        try expect(try await send(body, stage: "end of data"), 250, stage: "end of data")
        // The mail is accepted; a failing QUIT changes nothing.
        _ = try? await command("QUIT", stage: "QUIT")
    }

    /// Reads the greeting (220 expected) and says `QUIT`: that a server answers, without sending a mail. Returns the
    /// greeting, made printable.
    func greet() async throws -> String {
        let reply = try await wait(greeting, stage: "greeting")
        try expect(reply, 220, stage: "greeting")
        _ = try? await command("QUIT", stage: "QUIT")
        return String(Self.printable("\(reply.code) \(reply.text)").prefix(200))
    }

    /// `EHLO`; returns the advertised extensions, keyword (upper-cased) to parameters.
    private func ehlo() async throws -> [String: [String]] {
        let reply = try await command("EHLO \(configuration.heloName)", stage: "EHLO")
        try expect(reply, 250, stage: "EHLO")
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            // `AUTH=LOGIN` is an old spelling some servers still send beside `AUTH LOGIN`.
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            extensions[keyword, default: []].append(contentsOf: words.dropFirst())
        }
        return extensions
    }

    private func startTLS() async throws {
        guard let tlsContext else { throw MailDeliveryError.permanent("SMTP TLS configuration is invalid") }
        let host = configuration.host
        do {
            try await channel.eventLoop.submit { [channel] in
                let handler = try Self.makeTLSHandler(context: tlsContext, host: host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw Self.classify(error, stage: "STARTTLS", host: host, port: configuration.port)
        }
    }

    /// The server name for SNI and certificate checks; an IP address is not allowed in SNI, so then none is given
    /// and NIOSSL checks the certificate against the peer's IP address instead.
    static func makeTLSHandler(context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isIPAddress ? nil : host)
    }

    private func authenticate(username: String, password: String, extensions: [String: [String]]) async throws {
        let mechanisms = extensions["AUTH"] ?? []
        // PLAIN when offered (one round trip); else LOGIN, which older servers offer alone.
        if mechanisms.contains("PLAIN") {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            try expect(try await command("AUTH PLAIN \(token)", stage: "AUTH"), 235, stage: "AUTH")
            return
        }
        try expect(try await command("AUTH LOGIN", stage: "AUTH"), 334, stage: "AUTH")
        let user = Data(username.utf8).base64EncodedString()
        try expect(try await command(user, stage: "AUTH"), 334, stage: "AUTH")
        let pass = Data(password.utf8).base64EncodedString()
        try expect(try await command(pass, stage: "AUTH"), 235, stage: "AUTH")
    }

    private func command(_ line: String, stage: String) async throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        return try await send(buffer, stage: stage)
    }

    private func send(_ bytes: ByteBuffer, stage: String) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        do {
            try await channel.writeAndFlush(SMTPRequest(bytes: bytes, reply: promise))
        } catch {
            promise.fail(error)
        }
        return try await wait(promise.futureResult, stage: stage)
    }

    private func wait(_ future: EventLoopFuture<SMTPReply>, stage: String) async throws -> SMTPReply {
        do {
            return try await future.get()
        } catch {
            throw Self.classify(error, stage: stage, host: configuration.host, port: configuration.port)
        }
    }

    /// 4xx: transient; anything else unexpected (5xx, or a code that does not fit): permanent.
    private func expect(_ reply: SMTPReply, _ codes: Int..., stage: String) throws {
        guard !codes.contains(reply.code) else { return }
        let text = String(Self.printable(reply.text).prefix(200))
        let message = "SMTP \(reply.code) after \(stage)" + (text.isEmpty ? "" : ": \(text)")
        throw (400..<500).contains(reply.code)
            ? MailDeliveryError.transient(message) : MailDeliveryError.permanent(message)
    }

    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }
}
