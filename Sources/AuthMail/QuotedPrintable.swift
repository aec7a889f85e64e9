/// Quoted-printable (RFC 2045 §6.7) for the text and html parts.
///
/// Why quoted-printable rather than 8bit or base64: the message stays 7-bit clean, so it crosses any SMTP relay
/// without needing `8BITMIME`, and the mostly-ASCII bodies stay readable in a raw `.eml` file or a server log.
enum QuotedPrintable {
    /// The longest encoded line, soft-break `=` included (RFC 2045: at most 76 characters).
    static let maxLineLength = 76

    /// Encodes `text` (as UTF-8). Line breaks (CRLF, LF or a lone CR) become hard CRLF breaks; long lines are
    /// split with soft breaks (`=` CRLF); `=`, control characters, non-ASCII bytes and whitespace at the end of a
    /// line are written as `=XX`. The result has no trailing line break.
    static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = splitLines(Array(text.utf8))
        for (index, line) in lines.enumerated() {
            if index > 0 { output.append(contentsOf: [cr, lf]) }
            encodeLine(line, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let cr: UInt8 = 13
    private static let lf: UInt8 = 10
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Splits bytes at CRLF, LF or lone CR, so that every kind of line break ends up as one hard CRLF break.
    static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr || byte == lf {
                lines.append(bytes[start..<index])
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                start = index + 1
            }
            index += 1
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let token = encodeByte(byte, atEndOfLine: isLast)
            // Room for the soft-break `=` unless this token ends the line.
            let limit = isLast ? maxLineLength : maxLineLength - 1
            if column + token.count > limit {
                output.append(contentsOf: [UInt8(ascii: "="), cr, lf])
                column = 0
            }
            output.append(contentsOf: token)
            column += token.count
            index = line.index(after: index)
        }
    }

    private static func encodeByte(_ byte: UInt8, atEndOfLine: Bool) -> [UInt8] {
        let isPrintable = (33...126).contains(byte) && byte != UInt8(ascii: "=")
        let isWhitespace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        if isPrintable || (isWhitespace && !atEndOfLine) { return [byte] }
        return [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
    }
}
