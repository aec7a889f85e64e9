import Foundation

/// `POST /auth/login`: the password check under the per-email throttle, then a new session.
public final class LoginService: Sendable {
    private let store: any AuthStore
    private let hasher: any PasswordHasher
    /// A real hash at the configured cost, compared when the email has no account so timing does not tell.
    private let dummyHash: String
    private let throttle: LoginThrottle
    private let attempts: LoginAttempts
    private let audit: AuditLog
    private let clock: any AuthClock
    private let starter: SessionStarter
    /// `AUTH_EMAIL_VERIFICATION_REQUIRED`.
    private let requireVerifiedEmail: Bool

    public init(
        store: any AuthStore,
        hasher: any PasswordHasher,
        dummyHash: String,
        throttle: LoginThrottle,
        audit: AuditLog,
        clock: any AuthClock,
        starter: SessionStarter,
        requireVerifiedEmail: Bool = false
    ) {
        self.requireVerifiedEmail = requireVerifiedEmail
        self.store = store
        self.hasher = hasher
        self.dummyHash = dummyHash
        self.throttle = throttle
        self.attempts = LoginAttempts(store: store, throttle: throttle)
        self.audit = audit
        self.clock = clock
        self.starter = starter
    }

    /// The password was verified against a hash of an older cost: store one at the configured cost, unless the
    /// password changed meanwhile. Until an account logs in again its old hash stays (and a wrong password against it
    /// costs the old cost); `docs/security.md` says so.
    private func rehash(_ user: User, password: String) async throws {
        let fresh = try await hasher.hash(password)
        _ = try await store.users.replacePasswordHash(userID: user.id, expected: user.passwordHash, with: fresh)
    }

    public func login(email rawEmail: String, password: String, meta: RequestMeta) async throws -> TokenPair {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let key = LoginThrottle.key(for: email)
        let now = clock.now()
        let auditedEmail = String(email.prefix(FieldLimits.storedEmail))
        // U+0000 cannot be in a stored email (and PostgreSQL cannot compare it): no account, without a query.
        let searchable = !email.utf8.contains(0)
        let reserved: LoginThrottleState
        switch try await attempts.reserve(key: key, now: now) {
        case .allowed(let state):
            reserved = state
        case .locked(let wait):
            let user = searchable ? try await store.users.find(email: email) : nil
            await audit.recordDetached(
                audit.event("login.throttled", .failure, user: user?.id, meta: meta, details: ["email": auditedEmail]),
                in: store
            )
            throw AuthError.loginThrottled(retryAfter: wait)
        }
        let user = searchable ? try await store.users.find(email: email) : nil
        // Unknown emails pay one real bcrypt comparison too, so timing does not tell them apart.
        let matches = try await hasher.verify(password, hash: user?.passwordHash ?? dummyHash)
        guard let user, matches, user.isActive else {
            let reason = user == nil ? "unknown_email" : (matches ? "account_disabled" : "wrong_password")
            // The attempt was counted before the check.
            await audit.recordDetached(
                audit.event(
                    "login.failed",
                    .failure,
                    user: user?.id,
                    meta: meta,
                    details: ["reason": reason, "email": auditedEmail]
                ),
                in: store
            )
            if let wait = throttle.retryAfter(reserved, now: now), throttle.justLocked(reserved) {
                await audit.recordDetached(
                    audit.event(
                        "login.throttled",
                        .failure,
                        user: user?.id,
                        meta: meta,
                        details: ["email": auditedEmail, "retry_after": String(wait)]
                    ),
                    in: store
                )
            }
            throw AuthError.invalidCredentials
        }
        if hasher.needsRehash(user.passwordHash) {
            try await rehash(user, password: password)
        }
        // Only a caller with the right password learns that the address is unverified.
        if requireVerifiedEmail && !user.isVerified {
            try await attempts.succeeded(key: key)
            await audit.recordDetached(
                audit.event(
                    "login.failed",
                    .failure,
                    user: user.id,
                    meta: meta,
                    details: ["reason": "email_not_verified", "email": auditedEmail]
                ),
                in: store
            )
            throw AuthError.emailNotVerified
        }
        // A second factor: the password step ends here, with a token for POST /auth/mfa/verify. The attempt stays
        // counted until the code is right, so wrong codes share the per-email budget.
        if let token = try await MFAService.challenge(for: user, throttleKey: key, store: store, now: now) {
            await audit.recordDetached(
                audit.event("login.mfa_required", .success, actor: user.id, user: user.id, meta: meta),
                in: store
            )
            throw AuthError.mfaRequired(token: token)
        }
        try await attempts.succeeded(key: key)
        return try await starter.start(for: user, meta: meta)
    }
}
