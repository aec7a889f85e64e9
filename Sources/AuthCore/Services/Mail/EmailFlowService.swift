import Foundation

/// Email verification and password recovery (API.md "Email"): requests that mail a link and a code, and the steps
/// that redeem them. Every redemption is one conditional statement (single use), a wrong code is counted against its
/// request (five end it), and every failure is the same `invalid_or_expired_code`.
public final class EmailFlowService: Sendable {
    let store: any AuthStore
    let tokens: MailedTokens
    let codes: EmailCodeHasher
    let mailer: Mailer
    let hasher: any PasswordHasher
    let policy: PasswordPolicy
    let cache: SessionStateCache
    let audit: AuditLog
    let clock: any AuthClock
    let delegation: DelegationGuard

    public init(
        store: any AuthStore,
        tokens: MailedTokens,
        hasher: any PasswordHasher,
        policy: PasswordPolicy,
        cache: SessionStateCache,
        audit: AuditLog,
        clock: any AuthClock,
        delegation: DelegationGuard
    ) {
        self.store = store
        self.tokens = tokens
        self.codes = tokens.codes
        self.mailer = tokens.mailer
        self.hasher = hasher
        self.policy = policy
        self.cache = cache
        self.audit = audit
        self.clock = clock
        self.delegation = delegation
    }

    // MARK: Verification

    /// `POST /auth/email/verification`: a new link and code to the caller's address (202 even when the per-address
    /// limit drops it).
    public func requestVerification(_ principal: Principal, meta: RequestMeta) async throws {
        guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        guard !user.isVerified else { throw AuthError.emailAlreadyVerified }
        try await send(.verifyEmail, to: user, actor: user.id, via: "self", meta: meta)
    }

    /// `POST /admin/users/{id}/email-verification`, under the delegation rule.
    public func adminRequestVerification(_ id: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: id, actor: actor, action: "user.email_verification", meta: meta)
        guard !user.isVerified else { throw AuthError.emailAlreadyVerified }
        try await send(.verifyEmail, to: user, actor: actor.userID, via: "admin", meta: meta)
    }

    /// `POST /admin/users/{id}/password-reset`, under the delegation rule.
    public func adminRequestReset(_ id: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: id, actor: actor, action: "user.password_reset", meta: meta)
        try await send(.resetPassword, to: user, actor: actor.userID, via: "admin", meta: meta)
    }

    func send(_ purpose: EmailTokenPurpose, to user: User, actor: UUID?, via: String, meta: RequestMeta) async throws {
        let prepared = try await tokens.prepare(purpose, for: user)
        let queued = try await store.transaction { tx in
            try await self.tokens.issue(prepared, for: user, actor: actor, via: via, meta: meta, in: tx)
        }
        if let queued { await mailer.deliverWithinRequest([queued]) }
    }

    /// `POST /auth/email/verify` with the link's token.
    public func verify(token: String, meta: RequestMeta) async throws -> UserWithPermissions {
        guard Self.plausibleToken(token) else { throw AuthError.invalidOrExpiredCode }
        let hash = try await codes.linkHash(token)
        let now = clock.now()
        return try await markVerified(meta: meta, via: "link") { tx in
            try await tx.emailTokens.consume(tokenHash: hash, purpose: .verifyEmail, now: now)
        }
    }

    /// `POST /auth/email/verify` with the address and the code.
    public func verify(email: String, code: String, meta: RequestMeta) async throws -> UserWithPermissions {
        let (request, codeHash) = try await checkCode(code, email: email, purpose: .verifyEmail)
        let now = clock.now()
        return try await markVerified(meta: meta, via: "code") { tx in
            try await tx.emailTokens.consume(id: request.id, codeHash: codeHash, now: now)
        }
    }

    private func markVerified(
        meta: RequestMeta,
        via: String,
        consume: @escaping @Sendable (any AuthStore) async throws -> EmailToken?
    ) async throws -> UserWithPermissions {
        let now = clock.now()
        let userID = try await store.transaction { tx in
            guard let request = try await consume(tx), let user = try await tx.users.find(id: request.userID),
                user.isActive, user.email == request.email
            else { throw AuthError.invalidOrExpiredCode }
            // The address the mail went to is still the user's: it is proven now.
            try await tx.users.update(user.id, UserChanges(isVerified: true, updatedAt: now))
            try await tx.announce(.user(user.id))
            try await self.audit.record(
                self.audit.event(
                    "email.verified",
                    .success,
                    actor: user.id,
                    user: user.id,
                    meta: meta,
                    details: ["via": via]
                ),
                in: tx
            )
            return user.id
        }
        cache.invalidate(user: userID)
        guard let user = try await store.users.find(id: userID) else { throw AuthError.invalidOrExpiredCode }
        return UserWithPermissions(
            user: user,
            permissions: try await store.users.permissions(userID: userID, assurance: 1)
        )
    }

    /// Finds the live request of the account with this address and checks the code against it in constant time; a
    /// wrong code is counted (five end the request). Unknown addresses get the same answer.
    func checkCode(
        _ code: String,
        email raw: String,
        purpose: EmailTokenPurpose
    ) async throws
        -> (EmailToken, String)
    {
        guard let email = EmailAddress.normalize(raw), let user = try await store.users.find(email: email),
            let found = try await store.emailTokens.live(userID: user.id, purpose: purpose, now: clock.now())
        else {
            throw AuthError.invalidOrExpiredCode
        }
        let (request, storedHash) = found
        let codeHash = try await codes.codeHash(code, request: request.id)
        guard Self.plausibleCode(code), SecureToken.constantTimeEquals(codeHash, storedHash) else {
            _ = try await store.emailTokens.countWrongCode(id: request.id, now: clock.now())
            throw AuthError.invalidOrExpiredCode
        }
        return (request, codeHash)
    }

    static func plausibleCode(_ code: String) -> Bool {
        code.utf8.count == 6 && code.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// base64url of 32 bytes: 43 characters (a bound, so a megabyte of junk is not hashed).
    static func plausibleToken(_ token: String) -> Bool {
        (16...128).contains(token.utf8.count)
    }
}
