import Foundation

/// Signing private keys at rest: sealed under `AUTH_ENCRYPTION_KEY` when it is set (see `SecretBox`).
extension AccessTokenService {
    /// The authenticated data of a stored private key: the row it belongs to.
    static func sealingContext(kid: String, algorithm: String) -> String {
        "signing_keys|\(kid)|\(algorithm)"
    }

    /// A stored private key as the key material `SigningKey.load` takes.
    func material(of record: SigningKeyRecord) throws -> String {
        let context = Self.sealingContext(kid: record.kid, algorithm: record.algorithm)
        if let secretBox { return try secretBox.open(record.privateKeyPEM, context: context) }
        return try SecretBox.openWithoutKey(record.privateKeyPEM)
    }

    /// Re-encrypts every stored private key that is plaintext or sealed under a previous key with the current
    /// `AUTH_ENCRYPTION_KEY` (at every start, and by `authd rotate-encryption-key`). Returns how many it rewrote.
    @discardableResult
    public func resealKeys() async throws -> Int {
        guard let secretBox else { return 0 }
        var rewritten = 0
        for record in try await store.signingKeys.all() where secretBox.needsReseal(record.privateKeyPEM) {
            guard AuthConfiguration.JWTAlgorithmName(rawValue: record.algorithm) != nil else { continue }
            let context = Self.sealingContext(kid: record.kid, algorithm: record.algorithm)
            let sealed = try secretBox.seal(try material(of: record), context: context)
            try await store.signingKeys.replacePrivateKey(kid: record.kid, with: sealed)
            rewritten += 1
        }
        return rewritten
    }

    /// How many stored private keys are encrypted under the current key, of how many.
    public func sealedKeyCount() async throws -> (sealed: Int, total: Int) {
        let records = try await store.signingKeys.all()
        let sealed = records.filter { record in secretBox.map { !$0.needsReseal(record.privateKeyPEM) } ?? false }
        return (sealed.count, records.count)
    }
}
