import AuthCore
import AuthTestSupport
import Foundation
import SQLKit
import Testing

@testable import AuthPersistence

/// Past `Page.exactTotalLimit` matches, PostgreSQL answers `GET /admin/users` with the planner's estimate, flagged.
@Suite struct UserCountEstimateTests {
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aTotalPastTheLimitIsAnEstimateAndSaysSo(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            try await service.migrate()
            let store = service.store()
            try await store.roles.seed(Role.seeded)
            let limit = Page<User>.exactTotalLimit
            let sql = StoreDatabase(base: service.database)
            try await sql.raw(
                """
                INSERT INTO users (id, email, password_hash, locale, is_active, is_verified, created_at, updated_at)
                SELECT gen_random_uuid(), 'many' || i || '@example.com', 'x', 'en', true, false, now(), now()
                FROM generate_series(1, \(literal: limit + 50)) AS i
                """
            ).run()
            try await sql.raw(
                "INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u, roles r WHERE r.name = 'user'"
            ).run()
            try await sql.raw("ANALYZE users").run()
            try await sql.raw("ANALYZE user_roles").run()

            for role in [nil, "user"] {
                var query = UserQuery()
                query.role = role
                let page = try await store.users.list(query)
                #expect(page.totalIsEstimate == true, "role \(role ?? "none")")
                #expect(page.total > limit, "role \(role ?? "none"): \(page.total)")
                #expect(page.items.count == query.perPage)
            }
            // Under the limit the count is exact and not flagged.
            var admins = UserQuery()
            admins.role = "admin"
            let none = try await store.users.list(admins)
            #expect(none.total == 0 && none.totalIsEstimate != true)
            var search = UserQuery()
            search.search = "many4242@"
            let one = try await store.users.list(search)
            #expect(one.total == 1 && one.totalIsEstimate != true)
        }
    }
}
