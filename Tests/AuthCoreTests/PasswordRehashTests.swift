import AuthCore
import AuthTestSupport
import Foundation
import Logging
import Testing

/// Equal work at login, and hashes moved to the configured bcrypt cost when their owner logs in.
@Suite struct PasswordRehashTests {
    /// Real bcrypt at cost 4 (the lowest) over the in-memory store.
    private func services(_ store: InMemoryAuthStore) async throws -> AuthServices {
        var configuration = AuthConfiguration.testing()
        configuration.bcryptCost = 4
        let services = try AuthServices(
            configuration: configuration,
            store: store,
            clock: ManualClock(),
            logger: Logger(label: "test")
        )
        try await services.bootstrap()
        return services
    }

    @Test func theHashThreadsAreTheConfiguredNumberOrTheDefault() throws {
        var configuration = AuthConfiguration.testing()
        configuration.bcryptCost = 4
        let automatic = try AuthServices(
            configuration: configuration,
            store: InMemoryAuthStore(),
            clock: ManualClock(),
            logger: Logger(label: "test")
        )
        #expect(automatic.hashAdmission.threads == BcryptPasswordHasher.defaultThreads)
        configuration = try AuthConfiguration.fromEnvironment(["AUTH_HASH_THREADS": "3", "AUTH_BCRYPT_COST": "4"])
        let three = try AuthServices(
            configuration: configuration,
            store: InMemoryAuthStore(),
            clock: ManualClock(),
            logger: Logger(label: "test")
        )
        #expect(three.hashAdmission.threads == 3)
    }

    @Test func aHashOfAnotherCostIsReplacedAtTheConfiguredCostOnLogin() async throws {
        let store = InMemoryAuthStore()
        let services = try await services(store)
        let password = "violet-ledger-otter-42"
        let user = try await services.accounts.register(
            RegistrationInput(email: "old-cost@example.com", password: password),
            meta: RequestMeta()
        ).user
        let older = try await BcryptPasswordHasher(cost: 5, threads: 1).hash(password)
        try await store.users.updatePasswordHash(userID: user.id, hash: older, at: Date())

        _ = try await services.login.login(email: user.email, password: password, meta: RequestMeta())

        let stored = try #require(try await store.users.find(id: user.id)?.passwordHash)
        #expect(stored.hasPrefix("$2b$04$"))
        #expect(stored != older)
        // The new hash is of the same password.
        _ = try await services.login.login(email: user.email, password: password, meta: RequestMeta())
    }

    @Test func aWrongPasswordNeverRehashes() async throws {
        let store = InMemoryAuthStore()
        let services = try await services(store)
        let user = try await services.accounts.register(
            RegistrationInput(email: "keep@example.com", password: "violet-ledger-otter-42"),
            meta: RequestMeta()
        ).user
        let older = try await BcryptPasswordHasher(cost: 5, threads: 1).hash("violet-ledger-otter-42")
        try await store.users.updatePasswordHash(userID: user.id, hash: older, at: Date())
        await #expect(throws: AuthError.invalidCredentials) {
            try await services.login.login(email: user.email, password: "wrong password!", meta: RequestMeta())
        }
        #expect(try await store.users.find(id: user.id)?.passwordHash == older)
    }

    @Test func theCostIsReadFromTheHash() {
        let hasher = BcryptPasswordHasher(cost: 4, threads: 1)
        #expect(!hasher.needsRehash(hasher.dummyHash))
        #expect(hasher.needsRehash("$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234"))
        #expect(hasher.needsRehash("not a bcrypt hash"))
    }

    /// An unknown email and a wrong password each cost exactly one comparison (the unknown one against a real hash).
    @Test func unknownEmailAndWrongPasswordDoTheSameWork() async throws {
        let harness = try await DomainHarness()
        let user = try await harness.register()
        let before = harness.hasher.comparisons
        await #expect(throws: AuthError.invalidCredentials) { try await harness.login(user.email, "wrong password") }
        #expect(harness.hasher.comparisons == before + 1)
        await #expect(throws: AuthError.invalidCredentials) {
            try await harness.login("nobody@example.com", "wrong password")
        }
        #expect(harness.hasher.comparisons == before + 2)
    }
}
