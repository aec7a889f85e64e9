/// Any JSON value; request bodies are read into this first (by `JSONParser`), so that absent, null and wrongly
/// typed fields can each get a clear answer.
enum JSONValue: Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
}
