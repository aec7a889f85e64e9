import AuthCore
import FluentKit
import Foundation
import SQLKit

/// `AuthStore` in SQL. The repositories (in `Repositories/`) write their statements with SQLKit over FluentKit's
/// connection pools, no Fluent models: the same statements run on SQLite and PostgreSQL, and the ones that must be
/// atomic (token rotation, revocation) are single statements. Every repository speaks through a `StoreDatabase`,
/// so a database that cannot be reached comes out of the store as `AuthError.serviceUnavailable`.
public struct SQLAuthStore: AuthStore {
    enum Source: Sendable {
        case pool(DatabaseService)
        case transaction(any Database)
    }
    let source: Source

    init(service: DatabaseService) { source = .pool(service) }
    init(transaction: any Database) { source = .transaction(transaction) }

    /// A handle on one of the pool's event loops, or the transaction's connection.
    var database: StoreDatabase {
        switch source {
        case .pool(let service): return StoreDatabase(base: service.database)
        case .transaction(let db): return StoreDatabase(base: db)
        }
    }

    public var users: any UserRepository { SQLUserRepository(sql: database) }
    public var roles: any RoleRepository { SQLRoleRepository(sql: database) }
    public var sessions: any SessionRepository { SQLSessionRepository(sql: database) }
    public var audit: any AuditRepository { SQLAuditRepository(sql: database) }
    public var serviceClients: any ServiceClientRepository { SQLServiceClientRepository(sql: database) }
    public var signingKeys: any SigningKeyRepository { SQLSigningKeyRepository(sql: database) }
    public var loginThrottle: any LoginThrottleRepository { SQLLoginThrottleRepository(sql: database) }
    public var mfa: any MFARepository { SQLMFARepository(sql: database) }
    public var emailTokens: any EmailTokenRepository { SQLEmailTokenRepository(sql: database) }
    public var outbox: any MailOutboxRepository { SQLMailOutboxRepository(sql: database) }
    public var serverSecrets: any ServerSecretRepository { SQLServerSecretRepository(sql: database) }
    public var personalTokens: any PersonalAccessTokenRepository {
        SQLPersonalAccessTokenRepository(sql: database)
    }

    /// Inside a transaction, `body` joins it.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any AuthStore) async throws -> T
    ) async throws -> T {
        try await database.transaction { tx in try await body(SQLAuthStore(transaction: tx.base)) }
    }

    public func announce(_ invalidation: CacheInvalidation) async throws {
        guard database.dialect.name == "postgresql" else {
            // SQLite: the invalidation log the other processes poll (`SQLiteInvalidationPoller`).
            let now = Date().timeIntervalSince1970
            try await database.raw(
                "INSERT INTO cache_invalidations (payload, created_at) VALUES (\(bind: invalidation.payload), \(bind: now))"
            ).run()
            return
        }
        let channel = PostgresInvalidationListener.channel
        try await database.raw("SELECT pg_notify(\(bind: channel), \(bind: invalidation.payload))").run()
    }

    public func ping() async throws {
        switch source {
        case .pool(let service): try await service.ping()
        case .transaction: _ = try await database.raw("SELECT 1").all()
        }
    }
}
