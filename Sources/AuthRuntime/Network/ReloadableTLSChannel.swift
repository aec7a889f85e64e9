import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// HTTPS with HTTP/2 by ALPN (and HTTP/1.1 for clients without it), whose certificate and key can be replaced while
/// the server runs: each new connection is set up by the current `HTTP2UpgradeChannel`, and `reload()` swaps in one
/// built from the files as they are now. Connections already open keep the certificate they started with.
final class ReloadableTLSChannel: ServerChildChannel, Sendable {
    typealias Value = HTTP2UpgradeChannel.Value

    let certificateFile: String
    let keyFile: String
    let configuration: HTTP2UpgradeChannel.Configuration
    let responder: HTTPChannelHandler.Responder
    private let current: Mutex<HTTP2UpgradeChannel>

    init(
        certificateFile: String,
        keyFile: String,
        configuration: HTTP2UpgradeChannel.Configuration,
        responder: @escaping HTTPChannelHandler.Responder
    ) throws {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.configuration = configuration
        self.responder = responder
        current = Mutex(
            try Self.channel(certificateFile, keyFile, configuration: configuration, responder: responder)
        )
    }

    static func tlsConfiguration(_ certificateFile: String, _ keyFile: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }

    static func channel(
        _ certificateFile: String,
        _ keyFile: String,
        configuration: HTTP2UpgradeChannel.Configuration,
        responder: @escaping HTTPChannelHandler.Responder
    ) throws -> HTTP2UpgradeChannel {
        try HTTP2UpgradeChannel(
            tlsConfiguration: tlsConfiguration(certificateFile, keyFile),
            configuration: configuration,
            responder: responder
        )
    }

    /// Re-reads the files; on failure the running certificate stays and the error is thrown.
    func reload() throws {
        let fresh = try Self.channel(certificateFile, keyFile, configuration: configuration, responder: responder)
        current.withLock { $0 = fresh }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        current.withLock { $0 }.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await current.withLock { $0 }.handle(value: value, logger: logger)
    }
}
