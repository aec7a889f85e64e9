import AuthTestSupport
import NIOSSL

/// The certificate the scripted SMTP server presents: made when the tests run (`SelfSignedCertificate`), so no
/// private key is committed. The client trusts it explicitly, or (in the negative test) does not.
enum TestCertificates {
    static var certificatePEM: String { SelfSignedCertificate.localhost.certificatePEM }
    static var privateKeyPEM: String { SelfSignedCertificate.localhost.privateKeyPEM }

    static func certificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }

    /// A server context presenting the test certificate.
    static func serverContext() throws -> NIOSSLContext {
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())],
            privateKey: .privateKey(key)
        )
        return try NIOSSLContext(configuration: configuration)
    }

    /// A client configuration that trusts the test certificate (and nothing else).
    static func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try certificate()])
        return configuration
    }
}
