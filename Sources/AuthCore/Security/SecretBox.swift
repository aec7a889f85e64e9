import Crypto
import Foundation

/// Secrets at rest (signing private keys; TOTP secrets later): AES-256-GCM under `AUTH_ENCRYPTION_KEY`.
///
/// A sealed value is `enc:v1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>`. The key id (an HMAC of a fixed label
/// under the key, so it says nothing about the key) tells which key sealed it; `AUTH_ENCRYPTION_KEY_PREVIOUS` keys
/// still open values during a rotation, and `reseal` moves them to the current key. The caller's `context` (a signing
/// key's kid and algorithm, say) is authenticated data: a sealed value copied to another row does not open there.
public struct SecretBox: Sendable {
    public static let prefix = "enc:v1:"

    struct Key: Sendable {
        let id: String
        let key: SymmetricKey
        init(_ key: SymmetricKey) {
            self.key = key
            let mac = HMAC<SHA256>.authenticationCode(for: Data("authd encryption key id".utf8), using: key)
            id = Data(mac).prefix(6).base64URLEncodedString()
        }
    }

    let current: Key
    let previous: [Key]

    /// `key` and each of `previous`: 32 bytes, as base64 (standard or URL alphabet) or 64 hex digits.
    public init(key: String, previous: [String] = []) throws {
        guard let current = Self.keyBytes(key) else {
            throw ConfigurationError(
                variable: "AUTH_ENCRYPTION_KEY",
                message: "must be 32 random bytes, as base64 or 64 hex digits (openssl rand -base64 32)"
            )
        }
        var older: [Key] = []
        for text in previous {
            guard let bytes = Self.keyBytes(text) else {
                throw ConfigurationError(
                    variable: "AUTH_ENCRYPTION_KEY_PREVIOUS",
                    message: "each key must be 32 bytes, as base64 or 64 hex digits"
                )
            }
            older.append(Key(SymmetricKey(data: bytes)))
        }
        self.current = Key(SymmetricKey(data: current))
        self.previous = older
    }

    /// A key for another purpose (the keyed hashes of mailed codes), derived from the current key with HKDF: a
    /// database dump without `AUTH_ENCRYPTION_KEY` does not reveal it.
    public func derivedKey(label: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: current.key, info: Data(label.utf8), outputByteCount: 32)
    }

    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }

    /// Whether `value` is plaintext or sealed under another key than the current one.
    public func needsReseal(_ value: String) -> Bool {
        !value.hasPrefix(Self.prefix + current.id + ":")
    }

    public func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SecretBoxError.cannotOpen }
        return Self.prefix + current.id + ":" + combined.base64EncodedString()
    }

    /// The plaintext of a sealed value; a value that is not sealed is returned as it is (stored before a key was set).
    public func open(_ value: String, context: String) throws -> String {
        guard Self.isSealed(value) else { return value }
        return try Self.open(value, context: context, keys: [current] + previous)
    }

    /// For a store read without any key: plaintext passes, a sealed value is an error that says what is missing.
    public static func openWithoutKey(_ value: String) throws -> String {
        guard !isSealed(value) else { throw SecretBoxError.keyMissing }
        return value
    }

    static func open(_ value: String, context: String, keys: [Key]) throws -> String {
        let parts = value.dropFirst(prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let key = keys.first(where: { $0.id == parts[0] }) else {
            throw SecretBoxError.unknownKey
        }
        guard let combined = Data(base64Encoded: String(parts[1])),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plaintext = try? AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
        else { throw SecretBoxError.cannotOpen }
        return String(decoding: plaintext, as: UTF8.self)
    }

    static func keyBytes(_ text: String) -> Data? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let hex = Data(hexDigits: trimmed) { return hex }
        var base64 = trimmed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), data.count == 32 else { return nil }
        return data
    }
}

public enum SecretBoxError: Error, Equatable, CustomStringConvertible {
    /// A sealed value was read, but no `AUTH_ENCRYPTION_KEY` is configured.
    case keyMissing
    /// Sealed under a key that is neither `AUTH_ENCRYPTION_KEY` nor one of `AUTH_ENCRYPTION_KEY_PREVIOUS`.
    case unknownKey
    /// Tampered with, moved to another row, or not a sealed value.
    case cannotOpen

    public var description: String {
        switch self {
        case .keyMissing: "a stored secret is encrypted, but AUTH_ENCRYPTION_KEY is not set"
        case .unknownKey:
            "a stored secret was encrypted under a key that is neither AUTH_ENCRYPTION_KEY nor in AUTH_ENCRYPTION_KEY_PREVIOUS"
        case .cannotOpen: "a stored secret does not decrypt (tampered with, or moved from another row)"
        }
    }
}

extension Data {
    fileprivate init?(hexDigits hexString: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hexString.utf8.count / 2)
        var iterator = hexString.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = HexDigit.value(high), let l = HexDigit.value(low) else {
                return nil
            }
            bytes.append(h << 4 | l)
        }
        self.init(bytes)
    }

}
