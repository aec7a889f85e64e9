import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP submission client on SwiftNIO: one connection per `send`, TLS (STARTTLS or implicit), AUTH PLAIN
/// or LOGIN, and errors sorted into `MailDeliveryError.transient` (retry) and `.permanent` (don't).
///
/// Why our own: there is no SMTP library among the project's dependencies, and what authd needs (a few mails to a
/// submission server) is a short, fixed dialogue. One connection per mail keeps it simple and robust: no pooled
/// connection to go stale, and every path closes what it opened.
public struct SMTPClient: Sendable {
    public enum Security: String, Sendable, Equatable {
        /// Connect in plaintext, then `STARTTLS` (required: a server that does not offer it is an error, never a
        /// fallback to plaintext). Submission on port 587.
        case startTLS
        /// TLS from the first byte (SMTPS, port 465).
        case implicitTLS
        /// No TLS at all: only for a relay on the same host or in tests. Credentials are sent only to loopback.
        case plain
    }

    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        public var password: String?
        /// The name this client gives in `EHLO`.
        public var heloName: String
        public var connectTimeout: TimeAmount
        /// How long to wait for each reply (the greeting, and the answer to each command).
        public var commandTimeout: TimeAmount
        /// Trust roots and the like; the default trusts the system's CAs and checks the host name.
        public var tlsConfiguration: TLSConfiguration

        public init(
            host: String,
            port: Int,
            security: Security = .startTLS,
            username: String? = nil,
            password: String? = nil,
            heloName: String = "localhost",
            connectTimeout: TimeAmount = .seconds(10),
            commandTimeout: TimeAmount = .seconds(30),
            tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.heloName = heloName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.tlsConfiguration = tlsConfiguration
        }
    }

    public let configuration: Configuration
    let eventLoopGroup: any EventLoopGroup

    public init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Sends one message: `data` is the RFC 5322 text (`MIMEWriter.render`), not yet dot-stuffed.
    /// Throws `MailDeliveryError` only; its messages name the SMTP code and stage, never credentials or the body.
    public func send(from: String, to: [String], data: String) async throws {
        guard !to.isEmpty else { throw MailDeliveryError.permanent("no recipient") }
        for address in [from] + to where !SMTPClient.isValidEnvelopeAddress(address) {
            throw MailDeliveryError.permanent("invalid envelope address")
        }
        if configuration.username != nil, configuration.security == .plain,
            !MailTransports.isLoopback(host: configuration.host)
        {
            throw MailDeliveryError.permanent(
                "refusing to send SMTP credentials over an unencrypted connection to a non-loopback host"
            )
        }
        try await withSession { session in try await session.run(from: from, to: to, data: data) }
    }

    /// Connects (with TLS first for `smtps`), reads the server's greeting and says `QUIT`, sending no mail: whether a
    /// server answers where the configuration points (`authd config check`). Returns the greeting; throws
    /// `MailDeliveryError` only.
    public func probe() async throws -> String {
        try await withSession { session in try await session.greet() }
    }

    /// Connects, hands the session to `body` and closes the connection however `body` ends.
    private func withSession<T>(_ body: (SMTPSession) async throws -> T) async throws -> T {
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = configuration.security == .plain ? nil : try NIOSSLContext(configuration: tlsConfiguration)
        } catch {
            throw MailDeliveryError.permanent("SMTP TLS configuration is invalid")
        }
        let (channel, greeting) = try await connect(tlsContext: tlsContext)
        let session = SMTPSession(
            channel: channel,
            configuration: configuration,
            tlsContext: tlsContext,
            greeting: greeting
        )
        do {
            let result = try await body(session)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private var tlsConfiguration: TLSConfiguration { configuration.tlsConfiguration }

    private func connect(tlsContext: NIOSSLContext?) async throws -> (any Channel, EventLoopFuture<SMTPReply>) {
        let eventLoop = eventLoopGroup.next()
        let greeting = eventLoop.makePromise(of: SMTPReply.self)
        let host = configuration.host
        let commandTimeout = configuration.commandTimeout
        let implicitTLS = configuration.security == .implicitTLS ? tlsContext : nil
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let implicitTLS {
                        try sync.addHandler(SMTPSession.makeTLSHandler(context: implicitTLS, host: host))
                    }
                    try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try sync.addHandler(SMTPClientHandler(greeting: greeting, commandTimeout: commandTimeout))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: configuration.port).get()
            return (channel, greeting.futureResult)
        } catch {
            greeting.fail(error)
            throw SMTPSession.classify(error, stage: "connect", host: host, port: configuration.port)
        }
    }

    /// An envelope address goes into `MAIL FROM:<…>` / `RCPT TO:<…>` as it is, so it must not be able to end the
    /// command or the path: no CR, LF, angle brackets, spaces or other controls.
    static func isValidEnvelopeAddress(_ address: String) -> Bool {
        !address.isEmpty && address.utf8.count <= 320
            && address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" }
    }
}

extension SMTPClient.Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Without the password, so that printing or logging a configuration (or a transport holding one) is safe.
    public var description: String {
        let user = username.map { " user=\($0)" } ?? ""
        let password = password == nil ? "" : " password=<redacted>"
        return "SMTP \(host):\(port) security=\(security.rawValue)\(user)\(password)"
    }

    public var debugDescription: String { description }
}
