import Crypto
import Foundation
import SwiftASN1
import X509

/// A fresh self-signed certificate for `localhost` and its P-256 private key, made when a test asks for one, so no
/// private key sits in the repository. The certificate names DNS:localhost, IP:127.0.0.1 and IP:::1, is valid
/// from an hour ago for a day, and is its own CA (a client can trust it directly as its one root).
public struct SelfSignedCertificate: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    /// One pair per test process: generating is cheap, but one is enough.
    public static let localhost: SelfSignedCertificate = {
        do { return try SelfSignedCertificate(commonName: "localhost") } catch {
            fatalError("could not make the test certificate: \(error)")
        }
    }()

    public init(commonName: String) throws {
        let key = P256.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName(commonName),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                ])
            },
            issuerPrivateKey: privateKey
        )
        self.certificatePEM = try certificate.serializeAsPEM().pemString
        self.privateKeyPEM = key.pemRepresentation
    }
}
