import AuthCore
import AuthTestSupport
import Foundation
import Logging

/// The domain services over the in-memory store, a clock the test moves and a hasher that does no bcrypt work:
/// the rules run in milliseconds with no database and no HTTP.
struct DomainHarness {
    static let password = "correct horse battery staple"

    let services: AuthServices
    let clock: ManualClock
    let hasher: CountingPasswordHasher
    let store: InMemoryAuthStore

    init(configure: (inout AuthConfiguration) -> Void = { _ in }) async throws {
        var configuration = AuthConfiguration.testing()
        configure(&configuration)
        clock = ManualClock()
        hasher = CountingPasswordHasher()
        store = InMemoryAuthStore()
        services = try AuthServices(
            configuration: configuration,
            store: store,
            clock: clock,
            logger: Logger(label: "test"),
            passwordHasher: hasher
        )
        try await services.bootstrap()
    }

    /// A new user with the `user` role.
    func register(_ email: String = "u-\(UUID().uuidString.prefix(8).lowercased())@example.com") async throws -> User {
        let created = try await services.accounts.register(
            RegistrationInput(email: email, password: Self.password),
            meta: RequestMeta()
        )
        return created.user
    }

    /// A new user holding the admin role (`*`).
    func admin() async throws -> User {
        let user = try await register()
        try await store.users.setRoles(userID: user.id, roles: [Role.admin.name, Role.user.name])
        return user
    }

    func login(_ email: String, _ password: String = Self.password) async throws -> TokenPair {
        try await services.login.login(email: email, password: password, meta: RequestMeta())
    }

    /// The caller behind a fresh login, as the bearer middleware would see it.
    func principal(_ email: String) async throws -> Principal {
        try await services.authenticator.authenticate(accessToken: try await login(email).accessToken)
    }
}
