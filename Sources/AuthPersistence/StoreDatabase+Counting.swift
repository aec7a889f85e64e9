import SQLKit

extension StoreDatabase {
    /// The `count` column of a `SELECT COUNT(*) AS count …`.
    func count(_ query: SQLQueryString) async throws -> Int {
        struct Count: Decodable { var count: Int }
        return try await raw(query).first(decoding: Count.self)?.count ?? 0
    }

    /// How many rows a `… RETURNING id` statement wrote.
    func rowsWritten(_ query: SQLQueryString) async throws -> Int {
        try await raw(query).all().count
    }
}
