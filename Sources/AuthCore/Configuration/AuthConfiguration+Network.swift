import Foundation

/// How the server treats connections: timeouts against slow clients, a cap on open connections, and native TLS.
public struct NetworkSettings: Sendable, Equatable {
    /// `AUTH_HEADER_TIMEOUT_MS`: a request's headers (and, over TLS, the handshake) must arrive within this time of
    /// its first byte.
    public var headerTimeoutMilliseconds: Int = 10_000
    /// `AUTH_BODY_TIMEOUT_MS`: a request's body must arrive within this time of its headers.
    public var bodyTimeoutMilliseconds: Int = 30_000
    /// `AUTH_IDLE_TIMEOUT_MS`: a keep-alive connection with no request in flight closes after this time.
    public var idleTimeoutMilliseconds: Int = 60_000
    /// `AUTH_MAX_CONNECTIONS`: open connections beyond this are closed at once; 0 derives it from the process's file
    /// limit (see `effectiveMaxConnections`).
    public var maxConnections: Int = 0
    /// `AUTH_TLS_CERT_FILE`, `AUTH_TLS_KEY_FILE`: PEM files; both set serves HTTPS (TLS 1.2+, HTTP/2 by ALPN), and
    /// SIGHUP re-reads them.
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?

    public init() {}

    public var tlsEnabled: Bool { tlsCertificateFile != nil && tlsKeyFile != nil }

    /// The cap in force: the configured one, or the file limit less room for the database pool, log and key files,
    /// and the listening socket (a quarter of the limit, at least 64 descriptors).
    public func effectiveMaxConnections(databasePool: Int) -> Int {
        if maxConnections > 0 { return maxConnections }
        var limit = rlimit()
        let files = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1_024
        let reserve = max(64, files / 4, databasePool * 2 + 32)
        return max(16, files - reserve)
    }
}

extension AuthConfiguration {
    static func readNetwork(_ reader: EnvironmentReader, into c: inout AuthConfiguration) throws {
        var n = c.network
        try reader.int("AUTH_HEADER_TIMEOUT_MS", into: &n, \.headerTimeoutMilliseconds, range: 100...600_000)
        try reader.int("AUTH_BODY_TIMEOUT_MS", into: &n, \.bodyTimeoutMilliseconds, range: 100...3_600_000)
        try reader.int("AUTH_IDLE_TIMEOUT_MS", into: &n, \.idleTimeoutMilliseconds, range: 100...3_600_000)
        try reader.int("AUTH_MAX_CONNECTIONS", into: &n, \.maxConnections, range: 0...10_000_000)
        n.tlsCertificateFile = try reader.string("AUTH_TLS_CERT_FILE")
        n.tlsKeyFile = try reader.string("AUTH_TLS_KEY_FILE")
        if (n.tlsCertificateFile == nil) != (n.tlsKeyFile == nil) {
            throw ConfigurationError(
                variable: n.tlsCertificateFile == nil ? "AUTH_TLS_CERT_FILE" : "AUTH_TLS_KEY_FILE",
                message: "AUTH_TLS_CERT_FILE and AUTH_TLS_KEY_FILE go together"
            )
        }
        c.network = n
    }
}
