import AuthCore
import Foundation
import Synchronization

/// `AuthStore` in memory, with the observable behaviour of `SQLAuthStore` (see `RepositoryContractTests`, which runs
/// the same assertions on both). For tests of the domain and the HTTP layer that need no database.
///
/// Concurrency: every statement is atomic (one `Mutex`). Writes outside a transaction and whole transactions take
/// turns through one write lock, so a transaction cannot lose a write made while it ran; reads never wait and see
/// committed data. A transaction works on a copy of the data that replaces the store's when the body returns, and is
/// dropped when it throws.
public struct InMemoryAuthStore: AuthStore {
    let context: InMemoryContext

    public init() { context = InMemoryContext(core: InMemoryCore(), transaction: nil) }
    init(context: InMemoryContext) { self.context = context }

    public var users: any UserRepository { InMemoryUserRepository(context: context) }
    public var roles: any RoleRepository { InMemoryRoleRepository(context: context) }
    public var sessions: any SessionRepository { InMemorySessionRepository(context: context) }
    public var audit: any AuditRepository { InMemoryAuditRepository(context: context) }
    public var serviceClients: any ServiceClientRepository { InMemoryServiceClientRepository(context: context) }
    public var signingKeys: any SigningKeyRepository { InMemorySigningKeyRepository(context: context) }
    public var loginThrottle: any LoginThrottleRepository { InMemoryLoginThrottleRepository(context: context) }
    public var mfa: any MFARepository { InMemoryMFARepository(context: context) }
    public var emailTokens: any EmailTokenRepository { InMemoryEmailTokenRepository(context: context) }
    public var outbox: any MailOutboxRepository { InMemoryMailOutboxRepository(context: context) }
    public var serverSecrets: any ServerSecretRepository { InMemoryServerSecretRepository(context: context) }
    public var personalTokens: any PersonalAccessTokenRepository {
        InMemoryPersonalAccessTokenRepository(context: context)
    }

    public func announce(_ invalidation: CacheInvalidation) async throws {
        try await context.write { $0.announcements.append(invalidation) }
    }

    /// The invalidations announced by committed changes, oldest first.
    public var announcements: [CacheInvalidation] {
        get throws { try context.read { $0.announcements } }
    }

    /// Inside a transaction, `body` joins it (as `SQLAuthStore` does).
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any AuthStore) async throws -> T
    ) async throws -> T {
        if context.transaction != nil { return try await body(self) }
        let core = context.core
        // This store's root used from inside one of its own transactions: join it rather than wait for it forever.
        if let active = InMemoryCore.activeTransaction, active.core === core {
            return try await body(InMemoryAuthStore(context: InMemoryContext(core: core, transaction: active)))
        }
        await core.writeLock.lock()
        let transaction = InMemoryTransaction(core: core, snapshot: core.state.withLock { $0 })
        do {
            let result = try await InMemoryCore.$activeTransaction.withValue(transaction) {
                try await body(InMemoryAuthStore(context: InMemoryContext(core: core, transaction: transaction)))
            }
            let committed = transaction.close()
            core.state.withLock { $0 = committed }
            core.writeLock.unlock()
            return result
        } catch {
            _ = transaction.close()
            core.writeLock.unlock()
            throw error
        }
    }

    public func ping() async throws {
        if let transaction = context.transaction { _ = try transaction.read { _ in true } }
    }
}

/// What the in-memory store throws where a database would refuse a statement with a constraint error
/// (`AuthError.emailTaken` and `AuthError.roleExists` are thrown as the SQL store throws them).
public enum InMemoryStoreError: Error, Equatable, Sendable {
    /// A primary or unique key already held (a refresh token hash, a client id, a signing key id...).
    case duplicateKey(String)
    /// A row that refers to one that does not exist (a session of no user...).
    case missingReference(String)
    /// The transaction this store belonged to has ended.
    case transactionEnded
}

/// The data and the write lock, shared by a store and every transaction store made from it.
final class InMemoryCore: Sendable {
    let state = Mutex(InMemoryState())
    let writeLock = InMemoryWriteLock()

    /// The transaction the current task runs in, so the root store can tell when it is used from inside one.
    @TaskLocal static var activeTransaction: InMemoryTransaction?
}

/// A transaction's private copy of the data.
final class InMemoryTransaction: Sendable {
    let core: InMemoryCore
    private let state: Mutex<(data: InMemoryState, isOpen: Bool)>

    init(core: InMemoryCore, snapshot: InMemoryState) {
        self.core = core
        state = Mutex((snapshot, true))
    }

    func read<T: Sendable>(_ body: (InMemoryState) throws -> T) throws -> T {
        try state.withLock { s in
            guard s.isOpen else { throw InMemoryStoreError.transactionEnded }
            return try body(s.data)
        }
    }

    func write<T: Sendable>(_ body: (inout InMemoryState) throws -> T) throws -> T {
        try state.withLock { s in
            guard s.isOpen else { throw InMemoryStoreError.transactionEnded }
            return try InMemoryState.apply(body, to: &s.data)
        }
    }

    /// Ends the transaction; returns its data.
    func close() -> InMemoryState {
        state.withLock { s in
            s.isOpen = false
            return s.data
        }
    }
}

/// How the repositories reach the data: the store's, or a transaction's copy.
struct InMemoryContext: Sendable {
    let core: InMemoryCore
    let transaction: InMemoryTransaction?

    func read<T: Sendable>(_ body: (InMemoryState) throws -> T) throws -> T {
        if let transaction { return try transaction.read(body) }
        return try core.state.withLock { try body($0) }
    }

    /// Runs `body` on the data as one statement: all of its changes or, when it throws, none.
    func write<T: Sendable>(_ body: (inout InMemoryState) throws -> T) async throws -> T {
        if let transaction { return try transaction.write(body) }
        if let active = InMemoryCore.activeTransaction, active.core === core {
            // The root store used from inside one of its own transactions (which holds the write lock): the write
            // commits at once, as on another connection, and the transaction sees it.
            let result = try core.state.withLock { try InMemoryState.apply(body, to: &$0) }
            _ = try? active.write(body)
            return result
        }
        await core.writeLock.lock()
        defer { core.writeLock.unlock() }
        return try core.state.withLock { try InMemoryState.apply(body, to: &$0) }
    }
}

/// A FIFO lock that suspends rather than blocks.
final class InMemoryWriteLock: Sendable {
    private struct State {
        var isLocked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { s in
                if s.isLocked {
                    s.waiters.append(continuation)
                    return false
                }
                s.isLocked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    /// Hands the lock to the next waiter, if any.
    func unlock() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { s in
            if s.waiters.isEmpty {
                s.isLocked = false
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
