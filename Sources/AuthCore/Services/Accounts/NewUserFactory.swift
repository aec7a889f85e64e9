import Foundation

/// Validates and hashes a new account: shared by registration, admin creation and the bootstrap admin.
public struct NewUserFactory: Sendable {
    let hasher: any PasswordHasher
    let policy: PasswordPolicy
    let clock: any AuthClock

    public init(hasher: any PasswordHasher, policy: PasswordPolicy, clock: any AuthClock) {
        self.hasher = hasher
        self.policy = policy
        self.clock = clock
    }

    /// A user ready to insert, or `AuthError.validation` listing every invalid field.
    public func make(
        email rawEmail: String,
        password: String,
        profile: ProfileChanges,
        roles: [String],
        isActive: Bool = true,
        isVerified: Bool = false
    ) async throws -> User {
        var errors: [FieldError] = []
        let email = EmailAddress.normalize(rawEmail)
        if email == nil { errors.append(.invalidEmail()) }
        errors += policy.check(password, email: email)
        errors += profile.validate()
        guard errors.isEmpty, let email else { throw AuthError.validation(errors) }
        let now = clock.now()
        var user = User(
            email: email,
            passwordHash: try await hasher.hash(password),
            isActive: isActive,
            isVerified: isVerified,
            createdAt: now,
            updatedAt: now,
            roles: roles.sorted()
        )
        profile.apply(to: &user.profile)
        return user
    }
}
