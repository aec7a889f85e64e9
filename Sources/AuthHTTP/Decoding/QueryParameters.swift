import AuthCore
import Foundation
import Hummingbird

/// Query parameters read with the same care as bodies: each bad one becomes a field error, all answered at once.
struct QueryParameters {
    let values: [String: String]
    private(set) var errors: [FieldError] = []

    init(_ request: Request) {
        var values: [String: String] = [:]
        var refused: [FieldError] = []
        for (key, value) in request.uri.queryParameters {
            let (key, value) = (String(key), String(value))
            // PostgreSQL's text cannot hold U+0000: refused here, on both databases alike, before any query.
            if key.utf8.contains(0) || value.utf8.contains(0) {
                refused.append(FieldError(field: key, code: "invalid_characters", message: "U+0000 is not allowed."))
            } else {
                values[key] = value
            }
        }
        self.values = values
        self.errors = refused
    }

    mutating func fail(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    mutating func int(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let text = values[key] else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            fail(
                key,
                "out_of_range",
                "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)."
            )
            return value
        }
        return parsed
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let text = values[key] else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            fail(key, "invalid_format", "\(key) must be true or false.")
            return nil
        }
    }

    mutating func date(_ key: String) -> Date? {
        guard let text = values[key] else { return nil }
        if let date = RFC3339.parse(text) { return date }
        fail(key, "invalid_format", "\(key) must be an RFC 3339 timestamp.")
        return nil
    }

    mutating func uuid(_ key: String) -> UUID? {
        guard let text = values[key] else { return nil }
        guard let id = UUID(uuidString: text) else {
            fail(key, "invalid_format", "\(key) must be a UUID.")
            return nil
        }
        return id
    }

    /// One of `Value`'s raw values, or a field error listing them.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ key: String, as type: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let text = values[key] else { return nil }
        if let value = Value(rawValue: text) { return value }
        fail(key, "invalid_value", "\(key) is one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")).")
        return nil
    }

    func string(_ key: String) -> String? {
        values[key].flatMap { $0.isEmpty ? nil : String($0.prefix(256)) }
    }

    /// The page and page size every list takes.
    mutating func page() -> (page: Int, perPage: Int) {
        (int("page", default: 1, range: 1...1_000_000), int("per_page", default: 20, range: 1...100))
    }

    func finish() throws {
        if !errors.isEmpty { throw AuthError.validation(errors) }
    }
}
