import Foundation

extension Data {
    public func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(base64URLEncoded text: some StringProtocol) {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !s.contains("=") else { return nil }
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte (a table lookup: `String(format:)` costs microseconds a byte).
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension UUID {
    /// What `UUID(uuidString:)` accepts (8-4-4-4-12 hex digits, either case), parsed without `sscanf`, which
    /// Foundation uses on Linux and which showed in the profile of `/auth/verify`.
    public init?(parsing text: String) {
        var text = text
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = text.withUTF8 { chars in
            guard chars.count == 36 else { return false }
            return withUnsafeMutableBytes(of: &uuid) { out in
                var byte = 0
                var i = 0
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard chars[i] == UInt8(ascii: "-") else { return false }
                        i += 1
                        continue
                    }
                    guard let high = HexDigit.value(chars[i]), let low = HexDigit.value(chars[i + 1]) else {
                        return false
                    }
                    out[byte] = high << 4 | low
                    byte += 1
                    i += 2
                }
                return true
            }
        }
        guard ok else { return nil }
        self.init(uuid: uuid)
    }

}
