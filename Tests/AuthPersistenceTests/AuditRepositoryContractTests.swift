import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct Audit {
        static let alice = Fixture.id(0xA1), bob = Fixture.id(0xB0)
        /// Six events, ids 1 … 6; events 3 and 4 happen at the same time.
        static let events: [AuditEvent] = [
            AuditEvent(
                id: Fixture.id(1),
                occurredAt: Fixture.at(10),
                action: "user.login",
                outcome: .success,
                actorID: alice,
                userID: alice
            ),
            AuditEvent(
                id: Fixture.id(2),
                occurredAt: Fixture.at(20),
                action: "user.login",
                outcome: .failure,
                userID: bob
            ),
            AuditEvent(
                id: Fixture.id(3),
                occurredAt: Fixture.at(30),
                action: "user.updated",
                outcome: .success,
                actorID: alice,
                userID: bob
            ),
            AuditEvent(
                id: Fixture.id(4),
                occurredAt: Fixture.at(30),
                action: "user.login",
                outcome: .success,
                userID: bob
            ),
            AuditEvent(
                id: Fixture.id(5),
                occurredAt: Fixture.at(40),
                action: "role.created",
                outcome: .success,
                actorID: alice
            ),
            AuditEvent(
                id: Fixture.id(6),
                occurredAt: Fixture.at(50),
                action: "user.login",
                outcome: .failure,
                userID: alice
            ),
        ]

        func withEvents<T: Sendable>(_ kind: StoreKind, _ body: (any AuthStore) async throws -> T) async throws -> T {
            try await withStore(kind) { store in
                for event in Self.events.reversed() { try await store.audit.record(event) }
                return try await body(store)
            }
        }

        /// The numbers of the listed events, and the total.
        func listed(
            _ store: any AuthStore,
            _ configure: (inout AuditQuery) -> Void = { _ in }
        ) async throws -> Listed<Int> {
            var query = AuditQuery()
            configure(&query)
            let page = try await store.audit.list(query)
            return Listed(page.items.map { Self.events.firstIndex(of: $0).map { $0 + 1 } ?? 0 }, total: page.total)
        }

        @Test(arguments: StoreKind.all)
        func anEventReadsBackWithEveryField(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let event = AuditEvent(
                    occurredAt: Fixture.at(1),
                    action: "service_client.created",
                    outcome: .success,
                    actorID: UUID(),
                    userID: UUID(),
                    ip: "198.51.100.7",
                    userAgent: "curl/8",
                    requestID: "req-1",
                    details: ["client_id": "svc_1", "name": "Billing \"prod\"", "ünï": "côde"]
                )
                try await store.audit.record(event)
                let page = try await store.audit.list(AuditQuery())
                #expect(page.items == [event] && page.total == 1 && page.page == 1 && page.perPage == 20)
            }
        }

        @Test(arguments: StoreKind.all)
        func listIsNewestFirstAndFilters(_ kind: StoreKind) async throws {
            try await withEvents(kind) { store throws in
                // Events at the same time: the greater id first.
                #expect(try await listed(store) == Listed([6, 5, 4, 3, 2, 1], total: 6))
                #expect(try await listed(store) { $0.userID = Self.bob } == Listed([4, 3, 2], total: 3))
                #expect(try await listed(store) { $0.action = "user.login" } == Listed([6, 4, 2, 1], total: 4))
                #expect(try await listed(store) { $0.outcome = .failure } == Listed([6, 2], total: 2))
                // `since` is inclusive, `until` exclusive.
                #expect(try await listed(store) { $0.since = Fixture.at(30) } == Listed([6, 5, 4, 3], total: 4))
                #expect(try await listed(store) { $0.until = Fixture.at(30) } == Listed([2, 1], total: 2))
                #expect(
                    try await listed(store) {
                        $0.since = Fixture.at(20)
                        $0.until = Fixture.at(50)
                        $0.action = "user.login"
                    } == Listed([4, 2], total: 2)
                )
                #expect(
                    try await listed(store) {
                        $0.userID = Self.alice
                        $0.outcome = .success
                    } == Listed([1], total: 1)
                )
                #expect(try await listed(store) { $0.action = "nothing" } == Listed([], total: 0))
            }
        }

        @Test(arguments: StoreKind.all)
        func pagesCarryTheTotal(_ kind: StoreKind) async throws {
            try await withEvents(kind) { store throws in
                for (page, expected) in [(1, [6, 5, 4, 3]), (2, [2, 1]), (3, [])] {
                    #expect(
                        try await listed(store) {
                            $0.page = page
                            $0.perPage = 4
                        } == Listed(expected, total: 6)
                    )
                }
                #expect(
                    try await listed(store) {
                        $0.action = "user.login"
                        $0.perPage = 3
                        $0.page = 2
                    } == Listed([1], total: 4)
                )
            }
        }

        @Test(arguments: StoreKind.all)
        func pruneDeletesTheEventsBeforeTheDate(_ kind: StoreKind) async throws {
            try await withEvents(kind) { store throws in
                #expect(try await store.audit.prune(before: Fixture.at(30)) == 2)
                #expect(try await listed(store) == Listed([6, 5, 4, 3], total: 4))
                #expect(try await store.audit.prune(before: Fixture.at(30)) == 0)
                #expect(try await store.audit.prune(before: Fixture.at(51)) == 4)
                #expect(try await listed(store) == Listed([], total: 0))
            }
        }
    }
}
