import Foundation

/// `/admin/users`: listing, reading, creating, changing and deleting users. Callers check permissions; every
/// change is audited in the transaction that makes it.
public final class AdminUserService: Sendable {
    private let store: any AuthStore
    private let factory: NewUserFactory
    private let hasher: any PasswordHasher
    private let policy: PasswordPolicy
    private let cache: SessionStateCache
    private let audit: AuditLog
    private let clock: any AuthClock
    private let delegation: DelegationGuard
    private let mail: MailedTokens

    public init(
        store: any AuthStore,
        factory: NewUserFactory,
        hasher: any PasswordHasher,
        policy: PasswordPolicy,
        cache: SessionStateCache,
        audit: AuditLog,
        clock: any AuthClock,
        delegation: DelegationGuard,
        mail: MailedTokens
    ) {
        self.delegation = delegation
        self.mail = mail
        self.store = store
        self.factory = factory
        self.hasher = hasher
        self.policy = policy
        self.cache = cache
        self.audit = audit
        self.clock = clock
    }

    public func list(_ query: UserQuery) async throws -> Page<UserWithPermissions> {
        let page = try await store.users.list(query)
        let roles = Dictionary(uniqueKeysWithValues: try await store.roles.all().map { ($0.name, $0.permissions) })
        let items = page.items.map { user in
            UserWithPermissions(user: user, permissions: Permission.union(user.roles.compactMap { roles[$0] }))
        }
        return Page(
            items: items,
            page: page.page,
            perPage: page.perPage,
            total: page.total,
            totalIsEstimate: page.totalIsEstimate
        )
    }

    public func user(_ id: UUID) async throws -> UserWithPermissions {
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        return UserWithPermissions(user: user, permissions: try await store.users.permissions(userID: id))
    }

    /// Throws `userNotFound` unless the user exists.
    public func requireUser(_ id: UUID) async throws {
        guard try await store.users.find(id: id) != nil else { throw AuthError.userNotFound }
    }

    public func create(
        _ input: AdminUserInput,
        actor: Principal?,
        meta: RequestMeta
    ) async throws -> UserWithPermissions {
        var errors: [FieldError] = []
        if input.email == nil { errors.append(.required("email")) }
        if input.password == nil { errors.append(.required("password")) }
        guard errors.isEmpty, let email = input.email, let password = input.password else {
            throw AuthError.validation(errors)
        }
        let roles = Array(Set(input.roles ?? [Role.user.name]))
        try await checkRolesExist(roles)
        if let actor {
            try await delegation.requireCovering(
                roles: Set(roles),
                actor: actor,
                action: "user.create",
                target: nil,
                meta: meta
            )
        }
        let user = try await factory.make(
            email: email,
            password: password,
            profile: input.profile,
            roles: roles,
            isActive: input.isActive ?? true,
            isVerified: input.isVerified ?? false
        )
        try await store.transaction { tx in
            try await tx.users.create(user)
            let event = self.audit.event(
                "user.created",
                .success,
                actor: actor?.userID,
                user: user.id,
                meta: meta,
                details: ["roles": roles.sorted().joined(separator: ",")]
            )
            try await self.audit.record(event, in: tx)
        }
        return try await self.user(user.id)
    }

    public func update(
        _ id: UUID,
        _ input: AdminUserInput,
        actor: Principal,
        meta: RequestMeta
    ) async throws
        -> UserWithPermissions
    {
        guard var user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        let before = user
        try await delegation.requireCovering(user: id, actor: actor, action: "user.update", meta: meta)
        var errors = input.profile.validate()
        if let email = input.email {
            if let normalized = EmailAddress.normalize(email) {
                user.email = normalized
            } else {
                errors.append(.invalidEmail())
            }
        }
        var newHash: String?
        if let password = input.password {
            let problems = policy.check(password, email: user.email)
            errors += problems
            if problems.isEmpty { newHash = try await hasher.hash(password) }
        }
        guard errors.isEmpty else { throw AuthError.validation(errors) }
        let roles = input.roles.map { Array(Set($0)).sorted() }
        if let roles {
            try await checkRolesExist(roles)
            // Granting a role and taking one away both need the actor to cover it.
            let changed = Set(roles).symmetricDifference(user.roles)
            try await delegation.requireCovering(
                roles: changed,
                actor: actor,
                action: "user.update",
                target: id,
                meta: meta
            )
        }
        input.profile.apply(to: &user.profile)
        if let active = input.isActive { user.isActive = active }
        // A new address is unverified unless the administrator says otherwise in the same request.
        if user.email != before.email { user.isVerified = false }
        if let verified = input.isVerified { user.isVerified = verified }
        let now = clock.now()
        user.updatedAt = now
        let updated = user
        // Only what this request names is written, so a concurrent change of another field stands.
        let write = UserChanges(
            email: updated.email != before.email ? updated.email : nil,
            profile: input.profile.normalized,
            isActive: input.isActive,
            isVerified: updated.isVerified != before.isVerified || input.isVerified != nil ? updated.isVerified : nil,
            updatedAt: now
        )
        var changed = updated.profile.changedFields(comparedTo: before.profile)
        if before.email != updated.email { changed.append("email") }
        if before.isActive != updated.isActive { changed.append("is_active") }
        if before.isVerified != updated.isVerified { changed.append("is_verified") }
        if let roles, roles != before.roles { changed.append("roles") }
        if newHash != nil { changed.append("password") }
        let fields = changed
        let passwordHash = newHash
        let emailChanged = updated.email != before.email
        // A new, unverified address gets a verification; the old one a notice; a new password a notice.
        let verification =
            emailChanged && !updated.isVerified ? try await mail.prepare(.verifyEmail, for: updated) : nil
        let queued = try await store.transaction { tx in
            var queued: [UUID] = []
            if emailChanged {
                queued.append(try await self.mail.noticeOfEmailChange(before, to: updated.email, in: tx))
            }
            if let verification,
                let id = try await self.mail.issue(
                    verification,
                    for: updated,
                    actor: actor.userID,
                    via: "admin_email_change",
                    meta: meta,
                    in: tx
                )
            {
                queued.append(id)
            }
            if passwordHash != nil {
                queued.append(
                    try await self.mail.mailer.queue(
                        .passwordChanged,
                        to: updated.email,
                        user: updated,
                        values: [:],
                        in: tx
                    )
                )
            }
            let hadSuperAdmins = try await SuperAdminGuard.present(in: tx)
            try await tx.users.update(id, write)
            // Delivered to the other instances at commit, and not at all if a check below rolls the change back.
            try await tx.announce(.user(id))
            if let roles { try await tx.users.setRoles(userID: id, roles: roles) }
            if let passwordHash { try await tx.users.updatePasswordHash(userID: id, hash: passwordHash, at: now) }
            // Removing the last holder of `*` (by role change or disabling) is refused.
            try await SuperAdminGuard.keep(in: tx, had: hadSuperAdmins)
            var details = ["fields": fields.joined(separator: ",")]
            if let roles { details["roles"] = roles.joined(separator: ",") }
            // Disabling a user (or resetting its password) ends its sessions.
            if input.isActive == false || passwordHash != nil {
                let reason = input.isActive == false ? "user_disabled" : "password_reset"
                let revoked = try await tx.sessions.revokeAll(userID: id, except: nil, reason: reason, at: now)
                details["sessions_revoked"] = String(revoked.count)
            }
            let event = self.audit.event(
                "user.updated",
                .success,
                actor: actor.userID,
                user: id,
                meta: meta,
                details: details
            )
            try await self.audit.record(event, in: tx)
            return queued
        }
        cache.invalidate(user: id)
        await mail.mailer.deliverWithinRequest(queued)
        return try await self.user(id)
    }

    public func delete(_ id: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard id != actor.userID else { throw AuthError.cannotDeleteSelf }
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: id, actor: actor, action: "user.delete", meta: meta)
        try await store.transaction { tx in
            let hadSuperAdmins = try await SuperAdminGuard.present(in: tx)
            guard try await tx.users.delete(id: id) else { throw AuthError.userNotFound }
            try await SuperAdminGuard.keep(in: tx, had: hadSuperAdmins)
            try await tx.announce(.user(id))
            let event = self.audit.event(
                "user.deleted",
                .success,
                actor: actor.userID,
                user: id,
                meta: meta,
                details: ["email": user.email]
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidate(user: id)
    }

    /// Clears the per-email login lockout and the failures counted toward it, under the delegation rule. Returns when
    /// the lock would have ended, or nil when the account was not locked.
    @discardableResult
    public func unlock(_ id: UUID, actor: Principal, meta: RequestMeta) async throws -> Date? {
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: id, actor: actor, action: "user.unlock", meta: meta)
        let key = LoginThrottle.key(for: user.email)
        let now = clock.now()
        return try await store.transaction { tx in
            let lockedUntil = try await tx.loginThrottle.state(key: key)?.lockedUntil.flatMap { $0 > now ? $0 : nil }
            try await tx.loginThrottle.reset(key: key)
            let details = ["was_locked": String(lockedUntil != nil)]
            let event = self.audit.event(
                "user.unlocked",
                .success,
                actor: actor.userID,
                user: id,
                meta: meta,
                details: details
            )
            try await self.audit.record(event, in: tx)
            return lockedUntil
        }
    }

    private func checkRolesExist(_ names: [String]) async throws {
        let known = Set(try await store.roles.all().map(\.name))
        let unknown = names.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw AuthError.validation(
                field: "roles",
                code: "unknown_role",
                message: "Unknown roles: \(unknown.sorted().joined(separator: ", "))."
            )
        }
    }
}
