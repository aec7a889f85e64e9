import AuthCore
import AuthTestSupport
import Foundation
import SQLKit
import Testing

@testable import AuthPersistence

/// The user search and its PostgreSQL trigram index share one expression (`UserSearch`).
@Suite struct UserSearchIndexTests {
    /// The statement `CreateUserSearchIndexes` has run since it shipped, character for character.
    static let shippedIndexStatement = """
        CREATE INDEX IF NOT EXISTS users_search_trgm_idx ON users USING gin (
          (lower(email) || ' ' || lower(coalesce(display_name, '')) || ' ' || lower(coalesce(given_name, ''))
           || ' ' || lower(coalesce(family_name, ''))) gin_trgm_ops)
        """

    @Test func theIndexStatementIsTheOneThatShipped() {
        #expect(UserSearch.createIndex == Self.shippedIndexStatement)
    }

    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func theSearchIsAnsweredFromTheIndex(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            try await service.migrate()
            struct Plan: Decodable {
                var line: String
                enum CodingKeys: String, CodingKey { case line = "QUERY PLAN" }
            }
            let plan = try await StoreDatabase(base: service.database).transaction { tx in
                // An empty table is cheaper to scan; forbid that so the plan shows whether the index applies.
                try await tx.raw("SET LOCAL enable_seqscan = off").run()
                return try await tx.raw(
                    "EXPLAIN SELECT COUNT(*) FROM users WHERE " + UserSearch.condition(containing: "Ada")
                )
                .all(decoding: Plan.self).map(\.line)
            }
            #expect(plan.contains { $0.contains("users_search_trgm_idx") }, "\(plan)")
        }
    }
}
