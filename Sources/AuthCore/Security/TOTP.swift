import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords, as authenticator apps make them: HMAC-SHA-1, 6 digits, 30-second steps.
/// Written on swift-crypto rather than taken from HummingbirdOTP, which keys the HMAC with the secret string's UTF-8
/// bytes (not its base32 decoding) and returns an `Int` (leading zeros lost).
public struct TOTP: Sendable {
    public static let digits = 6
    public static let period: TimeInterval = 30
    /// Steps either side of now that are accepted (clock drift, a code typed as it rolled over).
    public static let skew = 1

    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// nil when `base32` is not base32.
    public init?(base32: String) {
        guard let key = Base32.decode(base32), !key.isEmpty else { return nil }
        self.key = key
    }

    /// 20 random bytes (160 bits, RFC 4226's recommendation) from the system CSPRNG.
    public static func generateKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code of one step, with its leading zeros, `digits` long.
    public func code(step: Int64, digits: Int = TOTP.digits) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The step whose code `code` is, within `skew` steps of `date`; nil when none matches. Compared in constant time.
    public func matchingStep(_ code: String, at date: Date) -> Int64? {
        let trimmed = code.filter { !$0.isWhitespace }
        guard trimmed.count == Self.digits, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) else {
            return nil
        }
        let now = Self.step(at: date)
        var found: Int64?
        for step in (now - Int64(Self.skew))...(now + Int64(Self.skew)) {
            if SecureToken.constantTimeEquals(self.code(step: step), trimmed), found == nil { found = step }
        }
        return found
    }

    /// `otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`, what authenticator
    /// apps read from a QR code.
    public static func provisioningURI(secret: String, account: String, issuer: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":/?#[]@!$&'()*+,;=")
        let label =
            (issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + ":"
            + (account.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        let query = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(query)&algorithm=SHA1&digits=\(digits)&period=30"
    }
}

/// RFC 4648 base32, upper case, without padding (what authenticator apps take).
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Case-insensitive; spaces, dashes and `=` padding are ignored. nil for any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "=") { continue }
            let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
            guard let value = alphabet.firstIndex(of: upper) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
