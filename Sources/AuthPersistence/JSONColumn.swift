import PostgresNIO

/// A value stored as JSON: JSONB on PostgreSQL (through PostgresNIO's Codable support), JSON text on SQLite
/// (sqlite-kit falls back to JSON for values it cannot map to a column type).
struct JSONColumn<Value: Codable & Sendable>: Codable, Sendable, PostgresEncodable, PostgresDecodable {
    var value: Value
    init(_ value: Value) { self.value = value }
    init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Value.self)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
