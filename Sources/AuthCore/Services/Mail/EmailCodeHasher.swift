import Crypto
import Foundation
import Synchronization

/// Keyed hashes (HMAC-SHA256) of mailed link tokens and codes: what is stored in their place. A 6-digit code has a
/// million values, so an unkeyed hash (GoTrue's SHA-224) falls to a search from a database dump; keyed, the dump alone
/// is not enough. The key is derived from `AUTH_ENCRYPTION_KEY` when set (then it is never in the database);
/// otherwise it is a random secret generated once and kept in the database (`server_secrets`), shared by every
/// instance. A code's hash also covers its request's id, so one search cannot serve two requests.
public final class EmailCodeHasher: Sendable {
    private let store: any AuthStore
    private let secretBox: SecretBox?
    private let cached = Mutex<SymmetricKey?>(nil)
    static let secretName = "email_token_hmac_key"

    public init(store: any AuthStore, secretBox: SecretBox?) {
        self.store = store
        self.secretBox = secretBox
    }

    func key() async throws -> SymmetricKey {
        if let key = cached.withLock({ $0 }) { return key }
        let key: SymmetricKey
        if let secretBox {
            key = secretBox.derivedKey(label: "authd email token hmac v1")
        } else {
            let stored = try await store.serverSecrets.value(
                named: Self.secretName,
                storingIfAbsent: SecureToken.generate(byteCount: 32)
            )
            key = SymmetricKey(data: Data(stored.utf8))
        }
        cached.withLock { $0 = key }
        return key
    }

    /// The stored form of a link token.
    public func linkHash(_ token: String) async throws -> String {
        try await mac("link:" + token)
    }

    /// The stored form of request `id`'s code.
    public func codeHash(_ code: String, request id: UUID) async throws -> String {
        try await mac("code:" + id.uuidString.lowercased() + ":" + code)
    }

    /// A keyed tag of `value` for another purpose under the same key (`label` keeps the purposes apart): the console's
    /// CSRF tokens.
    public func tag(_ label: String, _ value: String) async throws -> String {
        try await mac(label + ":" + value)
    }

    private func mac(_ input: String) async throws -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: try await key())
        return Data(code).map { String(format: "%02x", $0) }.joined()
    }

    /// Six decimal digits from the system CSPRNG, leading zeros kept.
    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }
}
