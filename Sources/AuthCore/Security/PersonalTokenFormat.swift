/// The shape of a personal access token: `authd_pat_`, 43 base62 characters of 256 random bits, and 6 base62
/// characters of the CRC32 of everything before them. A secret scanner recognises one by
/// `authd_pat_[0-9A-Za-z]{49}` and can check the checksum offline; authd refuses a token whose checksum is wrong
/// before any database read.
public enum PersonalTokenFormat {
    public static let prefix = "authd_pat_"
    public static let pattern = "authd_pat_[0-9A-Za-z]{49}"
    static let bodyLength = 43
    static let checksumLength = 6
    public static let length = prefix.utf8.count + bodyLength + checksumLength
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    public static func looksLikeToken(_ token: some StringProtocol) -> Bool { token.hasPrefix(prefix) }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let head = Array(prefix.utf8) + base62(random, width: bodyLength)
        return String(decoding: head + checksum(head), as: UTF8.self)
    }

    /// The length, the alphabet and the checksum: a token altered in one character fails here.
    public static func isWellFormed(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == length, bytes.starts(with: prefix.utf8) else { return false }
        let rest = bytes[prefix.utf8.count...]
        guard rest.allSatisfy({ digit($0) != nil }) else { return false }
        let head = Array(bytes[..<(bytes.count - checksumLength)])
        return Array(bytes[(bytes.count - checksumLength)...]) == checksum(head)
    }

    static func checksum(_ head: [UInt8]) -> [UInt8] {
        let crc = crc32(head)
        return base62(withUnsafeBytes(of: crc.bigEndian) { Array($0) }, width: checksumLength)
    }

    static func digit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a")) + 36
        default: nil
        }
    }

    /// Big-endian bytes as base62, left-padded with `0` to `width` digits.
    static func base62(_ bytes: [UInt8], width: Int) -> [UInt8] {
        var number = bytes
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder << 8 | Int(number[i])
                number[i] = UInt8(value / 62)
                remainder = value % 62
            }
            digits.append(alphabet[remainder])
        }
        while digits.count < width { digits.append(alphabet[0]) }
        return digits.reversed()
    }

    /// CRC-32 (IEEE 802.3, the one of zlib and PNG).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
