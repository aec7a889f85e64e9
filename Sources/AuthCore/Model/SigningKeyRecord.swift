import Foundation

/// A key that signs access tokens. `privateKey` is PEM (or the HMAC secret's absence: HS256 keys live in configuration).
public struct SigningKeyRecord: Sendable, Equatable {
    public var kid: String
    public var algorithm: String
    public var privateKeyPEM: String
    public var createdAt: Date
    public init(kid: String, algorithm: String, privateKeyPEM: String, createdAt: Date) {
        self.kid = kid
        self.algorithm = algorithm
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
    }
}
