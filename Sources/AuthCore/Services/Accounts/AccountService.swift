import Foundation

/// What a user does to its own account: registration, `/auth/me`, profile and password.
public final class AccountService: Sendable {
    private let store: any AuthStore
    private let factory: NewUserFactory
    private let hasher: any PasswordHasher
    private let policy: PasswordPolicy
    private let throttle: LoginThrottle
    private let cache: SessionStateCache
    private let audit: AuditLog
    private let clock: any AuthClock
    private let mail: MailedTokens
    let profiles: ProfileCache

    public init(
        store: any AuthStore,
        factory: NewUserFactory,
        hasher: any PasswordHasher,
        policy: PasswordPolicy,
        throttle: LoginThrottle,
        cache: SessionStateCache,
        audit: AuditLog,
        clock: any AuthClock,
        mail: MailedTokens,
        profiles: ProfileCache
    ) {
        self.store = store
        self.factory = factory
        self.hasher = hasher
        self.policy = policy
        self.throttle = throttle
        self.cache = cache
        self.audit = audit
        self.clock = clock
        self.mail = mail
        self.profiles = profiles
    }

    public func register(_ input: RegistrationInput, meta: RequestMeta) async throws -> UserWithPermissions {
        let user = try await factory.make(
            email: input.email,
            password: input.password,
            profile: input.profile,
            roles: [Role.user.name]
        )
        // The verification mail goes out with the account, or neither exists.
        let verification = try await mail.prepare(.verifyEmail, for: user)
        let queued = try await store.transaction { tx in
            try await tx.users.create(user)
            try await self.audit.record(
                self.audit.event("user.registered", .success, actor: user.id, user: user.id, meta: meta),
                in: tx
            )
            return try await self.mail.issue(
                verification,
                for: user,
                actor: user.id,
                via: "registration",
                meta: meta,
                in: tx
            )
        }
        if let queued { await mail.mailer.deliverWithinRequest([queued]) }
        return UserWithPermissions(user: user, permissions: [])
    }

    /// The caller's account and whether TOTP is on, from `ProfileCache` when it has them.
    public func me(_ principal: Principal) async throws -> (user: UserWithPermissions, mfaEnabled: Bool) {
        let now = clock.now()
        var profile = profiles.lookup(principal.userID, now: now)
        if profile == nil {
            let ticket = profiles.ticket(user: principal.userID)
            guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
            let fresh = ProfileCache.Profile(
                user: user,
                mfaEnabled: try await store.mfa.totp(userID: user.id)?.isConfirmed ?? false
            )
            profiles.put(fresh, now: now, ticket: ticket)
            profile = fresh
        }
        guard let profile else { throw AuthError.invalidToken }
        // What this caller may do now: a session's aal, or a personal access token's scope.
        return (UserWithPermissions(user: profile.user, permissions: principal.permissions), profile.mfaEnabled)
    }

    /// Whether the user has a confirmed TOTP authenticator.
    public func mfaEnabled(_ userID: UUID) async throws -> Bool {
        try await store.mfa.totp(userID: userID)?.isConfirmed ?? false
    }

    /// Profile fields, and the email (which needs the current password).
    public func updateProfile(
        _ principal: Principal,
        changes: ProfileChanges,
        email newEmail: String?,
        currentPassword: String?,
        meta: RequestMeta
    ) async throws -> UserWithPermissions {
        if newEmail != nil { _ = try principal.requireSession() }
        guard var user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        var errors = changes.validate()
        var normalized: String?
        if let newEmail {
            normalized = EmailAddress.normalize(newEmail)
            if normalized == nil {
                errors.append(.invalidEmail())
            } else if normalized != user.email && currentPassword == nil {
                errors.append(
                    FieldError(
                        field: "current_password",
                        code: "required",
                        message: "Changing the email needs the current password."
                    )
                )
            }
        }
        guard errors.isEmpty else { throw AuthError.validation(errors) }
        var changed: [String] = []
        // Only what this request changes is written: a concurrent disable (or any other change) stands.
        var write = UserChanges(profile: changes.normalized, updatedAt: clock.now())
        if let normalized, normalized != user.email {
            try await checkCurrentPassword(currentPassword ?? "", of: user, meta: meta)
            write.email = normalized
            changed.append("email")
            // A new address is unverified until its owner proves it.
            write.isVerified = false
            if user.isVerified { changed.append("is_verified") }
        }
        let before = user.profile
        changes.apply(to: &user.profile)
        changed += user.profile.changedFields(comparedTo: before)
        let fields = changed
        let userID = user.id
        let columns = write
        // A new address: a verification to it, a notice to the old one (which may be the owner's last say).
        let changedTo = {
            var changed = user
            changed.email = normalized ?? user.email
            return changed
        }()
        let verification = write.email == nil ? nil : try await mail.prepare(.verifyEmail, for: changedTo)
        let old = user
        let queued = try await store.transaction { tx in
            try await tx.users.update(userID, columns)
            try await tx.announce(.user(userID))
            var queued: [UUID] = []
            if let verification {
                queued += [try await self.mail.noticeOfEmailChange(old, to: changedTo.email, in: tx)]
                if let id = try await self.mail.issue(
                    verification,
                    for: changedTo,
                    actor: userID,
                    via: "email_change",
                    meta: meta,
                    in: tx
                ) {
                    queued.append(id)
                }
            }
            let event = self.audit.event(
                "profile.updated",
                .success,
                actor: userID,
                user: userID,
                meta: meta,
                details: ["fields": fields.joined(separator: ",")]
            )
            try await self.audit.record(event, in: tx)
            return queued
        }
        cache.invalidate(user: userID)
        await mail.mailer.deliverWithinRequest(queued)
        guard let stored = try await store.users.find(id: userID) else { throw AuthError.invalidToken }
        return UserWithPermissions(user: stored, permissions: try await store.users.permissions(userID: userID))
    }

    /// Needs the current password; ends every other session of the user.
    public func changePassword(_ principal: Principal, current: String, new: String, meta: RequestMeta) async throws {
        // Credentials change only from a signed-in session, never with a personal access token.
        let sessionID = try principal.requireSession()
        guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        let problems = policy.check(new, email: user.email, field: "new_password")
        guard problems.isEmpty else { throw AuthError.validation(problems) }
        try await checkCurrentPassword(current, of: user, meta: meta)
        let hash = try await hasher.hash(new)
        let now = clock.now()
        let (revoked, notice) = try await store.transaction { tx in
            try await tx.users.updatePasswordHash(userID: user.id, hash: hash, at: now)
            let notice = try await self.mail.mailer.queue(
                .passwordChanged,
                to: user.email,
                user: user,
                values: [:],
                in: tx
            )
            let revoked = try await tx.sessions.revokeAll(
                userID: user.id,
                except: sessionID,
                reason: "password_changed",
                at: now
            )
            let event = self.audit.event(
                "password.changed",
                .success,
                actor: user.id,
                user: user.id,
                meta: meta,
                details: ["sessions_revoked": String(revoked.count)]
            )
            // One message for all of the user's sessions, however many were revoked.
            // `updated_at` moved either way (`GET /auth/me` shows it).
            try await tx.announce(revoked.isEmpty ? .profile(user.id) : .user(user.id))
            try await self.audit.record(event, in: tx)
            return (revoked, notice)
        }
        if revoked.isEmpty { cache.invalidate(profile: user.id) } else { cache.invalidate(user: user.id) }
        await mail.mailer.deliver([notice], waitingAtMost: .zero)
    }

    /// A wrong current password counts as a failed login for the account, so this is no way around the throttle.
    func checkCurrentPassword(_ password: String, of user: User, meta: RequestMeta) async throws {
        let key = LoginThrottle.key(for: user.email)
        let now = clock.now()
        let attempts = LoginAttempts(store: store, throttle: throttle)
        if case .locked(let wait) = try await attempts.reserve(key: key, now: now) {
            throw AuthError.loginThrottled(retryAfter: wait)
        }
        guard try await hasher.verify(password, hash: user.passwordHash) else {
            // The attempt was counted before the check.
            await audit.recordDetached(
                audit.event("password.verification_failed", .failure, actor: user.id, user: user.id, meta: meta),
                in: store
            )
            throw AuthError.invalidCurrentPassword
        }
        try await attempts.succeeded(key: key)
    }
}
