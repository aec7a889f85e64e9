import AuthTestSupport

/// The certificate `ConnectionTests` serves HTTPS with: made when the tests run (`SelfSignedCertificate`), so no
/// private key is committed.
enum TestCertificates {
    static var certificatePEM: String { SelfSignedCertificate.localhost.certificatePEM }
    static var privateKeyPEM: String { SelfSignedCertificate.localhost.privateKeyPEM }
}
