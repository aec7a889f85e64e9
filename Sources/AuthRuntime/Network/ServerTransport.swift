import AuthCore
import Foundation
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The HTTP server's transport from `NetworkSettings`: plain HTTP/1.1, or TLS with HTTP/2; guarded against slow and
/// too many clients either way. `reloader` is set once the server is built with TLS.
final class ServerTransport: Sendable {
    let settings: NetworkSettings
    let maxConnections: Int
    let metrics = NetworkMetrics()
    private let tls = Mutex<ReloadableTLSChannel?>(nil)

    init(configuration: AuthConfiguration) throws {
        settings = configuration.network
        maxConnections = configuration.network.effectiveMaxConnections(databasePool: configuration.databasePoolSize)
        if let certificate = settings.tlsCertificateFile, let key = settings.tlsKeyFile {
            do {
                _ = try ReloadableTLSChannel.tlsConfiguration(certificate, key)
            } catch {
                throw ConfigurationError(
                    variable: "AUTH_TLS_CERT_FILE",
                    message: "cannot load the certificate \(certificate) or the key \(key) as PEM (\(error))"
                )
            }
        }
    }

    var builder: HTTPServerBuilder {
        let settings = settings
        let metrics = metrics
        let body = TimeAmount.milliseconds(Int64(settings.bodyTimeoutMilliseconds))
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestBodyGuard(timeout: body, metrics: metrics)],
            idleTimeout: .milliseconds(Int64(settings.idleTimeoutMilliseconds))
        )
        let header = TimeAmount.milliseconds(Int64(settings.headerTimeoutMilliseconds))
        let counter = GuardedChannel<HTTP1Channel>.Counter()
        return HTTPServerBuilder { responder in
            if let certificate = settings.tlsCertificateFile, let key = settings.tlsKeyFile {
                let channel = try ReloadableTLSChannel(
                    certificateFile: certificate,
                    keyFile: key,
                    configuration: .init(
                        idleTimeout: .milliseconds(settings.idleTimeoutMilliseconds),
                        streamConfiguration: http1
                    ),
                    responder: responder
                )
                self.tls.withLock { $0 = channel }
                return GuardedChannel(
                    base: channel,
                    maxConnections: self.maxConnections,
                    headerTimeout: header,
                    metrics: metrics,
                    counter: .init()
                )
            }
            return GuardedChannel(
                base: HTTP1Channel(responder: responder, configuration: http1),
                maxConnections: self.maxConnections,
                headerTimeout: header,
                metrics: metrics,
                counter: counter
            )
        }
    }

    /// Re-reads the certificate and key (SIGHUP).
    func reloadTLS() throws {
        try tls.withLock { $0 }?.reload()
    }
}

/// Reloads the TLS certificate and key on SIGHUP, without dropping a connection.
struct TLSReloadService: Service {
    let transport: ServerTransport
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                try transport.reloadTLS()
                logger.notice("TLS certificate and key reloaded")
            } catch {
                logger.error(
                    "TLS reload failed; the previous certificate stays",
                    metadata: ["error": .string(String(describing: error))]
                )
            }
        }
    }
}
