import AuthCore
import AuthTestSupport
import FluentKit
import Foundation
import Logging
import SQLKit
import Testing

@testable import AuthPersistence

/// A database that cannot be reached comes out of the store as `AuthError.serviceUnavailable`, whatever the driver
/// said, so that nothing above AuthPersistence has to know the driver's errors.
@Suite struct StoreUnavailableTests {
    /// PostgreSQL on a port where nothing listens: every connection attempt is refused.
    static func unreachablePostgres() throws -> DatabaseService {
        var configuration = AuthConfiguration.testing()
        configuration.database = .postgres(url: "postgres://authd:unused@127.0.0.1:1/authd?sslmode=disable")
        configuration.databasePoolSize = 1
        return try DatabaseService(configuration: configuration, logger: Logger(label: "test"))
    }

    @Test func repositoriesTransactionsAndPingOnAnUnreachableServer() async throws {
        let service = try Self.unreachablePostgres()
        let store = service.store()
        await #expect(throws: AuthError.serviceUnavailable) { try await store.users.find(email: "a@example.com") }
        await #expect(throws: AuthError.serviceUnavailable) { try await store.roles.seed(Role.seeded) }
        let throttle = LoginThrottle(maxFailures: 5, lockoutSeconds: 900)
        await #expect(throws: AuthError.serviceUnavailable) {
            try await store.loginThrottle.modify(key: "k") { throttle.failing($0, now: Date()) }
        }
        await #expect(throws: AuthError.serviceUnavailable) {
            try await store.transaction { try await $0.sessions.deleteExpired(before: Date()) }
        }
        await #expect(throws: AuthError.serviceUnavailable) { try await store.ping() }
        await #expect(throws: AuthError.serviceUnavailable) { try await service.migrate() }
        await service.shutdown()
    }

    /// The pools closed under a store that is still in use (as at shutdown). Only the pools: the service's event
    /// loops stay up, as they do while requests drain; `withDatabase` shuts the rest down.
    @Test(arguments: TestDatabase.all)
    func aStoreWhosePoolsAreClosed(_ db: TestDatabase) async throws {
        try await withDatabase(db) { service in
            try await service.migrate()
            let store = service.store()
            try await store.roles.seed(Role.seeded)
            await service.databases.shutdownAsync()
            await #expect(throws: AuthError.serviceUnavailable) { try await store.roles.all() }
            await #expect(throws: AuthError.serviceUnavailable) { try await store.users.find(id: UUID()) }
            await #expect(throws: AuthError.serviceUnavailable) {
                try await store.transaction { try await $0.audit.prune(before: Date()) }
            }
            await #expect(throws: AuthError.serviceUnavailable) { try await store.ping() }
        }
    }
}
