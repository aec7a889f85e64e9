import Foundation

/// Any JSON value; request bodies are read into this first (by `JSONParser`), so that absent, null and wrongly
/// typed fields can each get a clear answer.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Where a string (or a member name) below `path` holds U+0000: `roles[2]`, `a.b`; sorted.
    func pathsContainingNUL(at path: String = "") -> [String] {
        // The common case, no NUL anywhere, is answered without building a single path.
        guard containsNUL else { return [] }
        func joined(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
        switch self {
        case .string(let text):
            return text.utf8.contains(0) ? [path.isEmpty ? "body" : path] : []
        case .array(let items):
            return items.enumerated().flatMap { index, item in item.pathsContainingNUL(at: "\(path)[\(index)]") }
        case .object(let members):
            return members.keys.sorted().flatMap { key in
                let here = joined(key)
                return (key.utf8.contains(0) ? [here] : []) + members[key]!.pathsContainingNUL(at: here)
            }
        case .null, .bool, .number:
            return []
        }
    }

    /// Whether any string or member name holds U+0000 (memchr over each string's bytes).
    var containsNUL: Bool {
        switch self {
        case .string(let text): text.utf8.containsNUL
        case .array(let items): items.contains { $0.containsNUL }
        case .object(let members): members.contains { $0.key.utf8.containsNUL || $0.value.containsNUL }
        case .null, .bool, .number: false
        }
    }
}

extension String.UTF8View {
    var containsNUL: Bool {
        withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? false : memchr(bytes.baseAddress!, 0, bytes.count) != nil
        } ?? contains(0)
    }
}
