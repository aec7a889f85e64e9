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
}
