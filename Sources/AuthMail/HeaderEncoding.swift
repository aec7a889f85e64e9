import Foundation

/// Header values for `MIMEWriter`: injection-safe, 7-bit (RFC 2047 encoded-words), folded to short lines.
enum HeaderEncoding {
    /// Removes CR, LF and the other control characters from a header value.
    ///
    /// Why: a subject or display name comes (indirectly) from user input; a CR/LF in it would end the header and let
    /// the sender add their own (`Bcc:`) headers or even a body: header injection.
    static func sanitize(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { !isControl($0) }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// True when `value` can go into a header as it is: printable ASCII only, and no `=?` that a reader could
    /// mistake for the start of an encoded-word.
    static func isPlainASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !value.contains("=?")
    }

    /// The longest run of UTF-8 bytes in one encoded-word: 42 bytes are 56 base64 characters, so
    /// `Subject: =?UTF-8?B?…?=` stays within the 78 characters RFC 5322 recommends (and well within RFC 2047's 75
    /// per encoded-word).
    private static let bytesPerWord = 42

    /// RFC 2047 `B` encoded-words, split on character boundaries (never inside a UTF-8 sequence or a grapheme) and
    /// separated by folding whitespace, which readers drop between adjacent encoded-words.
    static func encodedWords(_ value: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > bytesPerWord {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// An unstructured value (`Subject`): as it is when plain ASCII (folded at spaces when long), else encoded-words.
    static func unstructured(_ value: String, headerName: String) -> String {
        let clean = sanitize(value)
        guard isPlainASCII(clean) else { return encodedWords(clean) }
        return fold(clean, firstLineUsed: headerName.count + 2)
    }

    /// Folds plain ASCII at spaces so lines stay within 78 characters where the words allow it.
    static func fold(_ value: String, firstLineUsed: Int, limit: Int = 78) -> String {
        guard firstLineUsed + value.count > limit else { return value }
        var lines: [String] = []
        var current = ""
        var used = firstLineUsed
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty && lines.isEmpty {
                current = String(word)
            } else if used + current.count + 1 + word.count > limit, !current.isEmpty {
                lines.append(current)
                current = String(word)
                used = 1
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    /// `Name <address>` (name encoded or quoted as needed), or the bare address when there is no name.
    static func address(_ address: MailAddress) -> String {
        let addr = sanitize(address.address).filter { $0 != "<" && $0 != ">" && !$0.isWhitespace }
        guard let rawName = address.name else { return addr }
        let name = sanitize(rawName).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return addr }
        return "\(displayName(name)) <\(addr)>"
    }

    private static let atomSpecials = Set("()<>[]:;@\\,.\"")

    /// A phrase (RFC 5322 §3.2.5): an atom sequence, a quoted string when it holds specials, or encoded-words.
    static func displayName(_ name: String) -> String {
        guard isPlainASCII(name) else { return encodedWords(name) }
        guard name.contains(where: { atomSpecials.contains($0) }) else { return name }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue, 02 Dec 2025 16:04:05 +0000`: RFC 5322 §3.3, always in UTC and with English names whatever the locale.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
