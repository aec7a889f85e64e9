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
