import Foundation
import NIOCore

/// An `application/x-www-form-urlencoded` body (what the console's forms post), or a query string.
struct ConsoleForm: Sendable {
    private let fields: [String: [String]]

    init(_ text: String) {
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            // U+0000 is never a valid value here (PostgreSQL's text cannot hold it): dropped like a missing field.
            guard !key.utf8.contains(0), !value.utf8.contains(0) else { continue }
            fields[key, default: []].append(value)
        }
        self.fields = fields
    }

    init(_ buffer: ByteBuffer) { self.init(String(buffer: buffer)) }

    /// The first value, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// The value as sent (passwords are not trimmed).
    func raw(_ name: String) -> String? { fields[name]?.first }

    var confirmed: Bool { self["confirm"] == "on" }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
