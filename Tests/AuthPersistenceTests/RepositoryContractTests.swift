import AuthCore
import AuthPersistence
import AuthTestSupport
import Foundation
import Testing

/// The contract of the `AuthStore` repositories, asserted on every implementation: the in-memory store of
/// AuthTestSupport, SQLite and (when `AUTHD_TEST_POSTGRES_URL` is set) PostgreSQL. The suites for each repository
/// extend this one (`RepositoryContractTests.Users`, `.Sessions`...), so `--filter RepositoryContract` runs them all.
@Suite struct RepositoryContractTests {}

/// Which `AuthStore` a contract test runs on.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres
    var testDescription: String { rawValue }

    static var all: [StoreKind] { [.memory] + TestDatabase.all.map { $0 == .sqlite ? .sqlite : .postgres } }

    var isSQL: Bool { self != .memory }
}

/// Runs `body` on a new, empty store of `kind` (migrated, and with the seeded roles unless `seeded` is false).
func withStore<T: Sendable>(
    _ kind: StoreKind,
    seeded: Bool = true,
    _ body: (any AuthStore) async throws -> T
) async throws -> T {
    func prepared(_ store: any AuthStore) async throws -> any AuthStore {
        if seeded { try await store.roles.seed(Role.seeded) }
        return store
    }
    switch kind {
    case .memory:
        return try await body(prepared(InMemoryAuthStore()))
    case .sqlite, .postgres:
        return try await withDatabase(kind == .sqlite ? .sqlite : .postgres) { service in
            try await service.migrate()
            return try await body(prepared(service.store()))
        }
    }
}

/// Values that survive a round trip through every store: whole seconds (SQL keeps microseconds at best), fixed ids
/// where an order depends on them.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// `00000000-0000-4000-8000-0000000000nn`: ids in a known order.
    static func id(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012X", n))!
    }

    static func user(
        _ email: String,
        id: UUID = UUID(),
        roles: [String] = ["user"],
        profile: UserProfile = UserProfile(),
        isActive: Bool = true,
        isVerified: Bool = false,
        createdAt: Date = t0,
        lastLoginAt: Date? = nil
    ) -> User {
        User(
            id: id,
            email: email,
            passwordHash: "$2b$04$hash-of-" + email,
            profile: profile,
            isActive: isActive,
            isVerified: isVerified,
            createdAt: createdAt,
            updatedAt: createdAt,
            lastLoginAt: lastLoginAt,
            roles: roles
        )
    }

    static func session(
        of userID: UUID,
        id: UUID = UUID(),
        createdAt: Date = t0,
        lastUsedAt: Date? = nil,
        expiresAt: Date? = nil
    ) -> Session {
        Session(
            id: id,
            userID: userID,
            createdAt: createdAt,
            lastUsedAt: lastUsedAt ?? createdAt,
            expiresAt: expiresAt ?? createdAt.addingTimeInterval(30 * 86_400)
        )
    }

    /// A user and one session of it, with refresh token hash `token`.
    static func sessionWithUser(
        in store: any AuthStore,
        email: String = "owner@example.com",
        roles: [String] = ["user"],
        token: String = "hash-1"
    ) async throws -> (User, Session) {
        let user = Fixture.user(email, roles: roles)
        try await store.users.create(user)
        let session = Fixture.session(of: user.id)
        try await store.sessions.create(session, refreshTokenHash: token)
        return (user, session)
    }
}

/// A page as a test compares it: what it lists (as short names) and the total.
struct Listed<Item: Equatable & Sendable>: Equatable, Sendable, CustomTestStringConvertible {
    var items: [Item]
    var total: Int
    init(_ items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
    var testDescription: String { "\(items) of \(total)" }
}
