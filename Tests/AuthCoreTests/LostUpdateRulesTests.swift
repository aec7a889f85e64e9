import AuthCore
import AuthTestSupport
import Foundation
import Logging
import Testing

/// A write changes only the fields it names: a disable is never undone by a profile or email change that was
/// checking a password at the same moment.
@Suite struct LostUpdateRulesTests {
    @Test func anEmailChangeRacingADisableLeavesTheUserDisabled() async throws {
        let gate = GatedPasswordHasher()
        let store = InMemoryAuthStore()
        let services = try AuthServices(
            configuration: AuthConfiguration.testing(),
            store: store,
            clock: ManualClock(),
            logger: Logger(label: "test"),
            passwordHasher: gate
        )
        try await services.bootstrap()
        let password = "correct horse battery staple"
        let user = try await services.accounts.register(
            RegistrationInput(email: "racer@example.com", password: password),
            meta: RequestMeta()
        ).user
        let adminUser = try await services.accounts.register(
            RegistrationInput(email: "root@example.com", password: password),
            meta: RequestMeta()
        ).user
        try await store.users.setRoles(userID: adminUser.id, roles: [Role.admin.name])
        let admin = try await services.authenticator.authenticate(
            accessToken: try await services.login.login(email: adminUser.email, password: password, meta: RequestMeta())
                .accessToken
        )
        let principal = try await services.authenticator.authenticate(
            accessToken: try await services.login.login(email: user.email, password: password, meta: RequestMeta())
                .accessToken
        )

        gate.arm()
        let change = Task {
            try await services.accounts.updateProfile(
                principal,
                changes: ProfileChanges(displayName: "Racer"),
                email: "moved@example.com",
                currentPassword: password,
                meta: RequestMeta()
            )
        }
        await gate.waitUntilEntered()
        // While the email change checks the password, an administrator disables the account.
        _ = try await services.adminUsers.update(
            user.id,
            AdminUserInput(isActive: false),
            actor: admin,
            meta: RequestMeta()
        )
        gate.open()
        let changed = try await change.value

        let stored = try #require(try await store.users.find(id: user.id))
        #expect(stored.isActive == false)
        #expect(stored.email == "moved@example.com" && stored.profile.displayName == "Racer")
        #expect(changed.user.isActive == false)
        await #expect(throws: AuthError.invalidCredentials) {
            try await services.login.login(email: "moved@example.com", password: password, meta: RequestMeta())
        }
    }
}
