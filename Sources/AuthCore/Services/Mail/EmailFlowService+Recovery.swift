import Foundation

extension EmailFlowService {
    /// `POST /auth/password/forgot`: the same 202 for every address, no sooner than `AUTH_FORGOT_RESPONSE_MS` after the
    /// request arrived, whether the address has an account, is disabled, is over its mail limit, or is unknown. The
    /// mail is queued in a transaction and sent by the worker; this waits for it only within that time.
    public func forgot(email raw: String, meta: RequestMeta) async throws {
        try await mailWithoutSession(.resetPassword, email: raw, meta: meta) { $0.isActive }
    }

    /// `POST /auth/email/resend`: a new verification for a user who cannot sign in to ask for one (with
    /// `AUTH_EMAIL_VERIFICATION_REQUIRED`), answered exactly like `forgot`.
    public func resendVerification(email raw: String, meta: RequestMeta) async throws {
        try await mailWithoutSession(.verifyEmail, email: raw, meta: meta) { $0.isActive && !$0.isVerified }
    }

    private func mailWithoutSession(
        _ purpose: EmailTokenPurpose,
        email raw: String,
        meta: RequestMeta,
        when due: (User) -> Bool
    ) async throws {
        let started = ContinuousClock.now
        let floor = Duration.milliseconds(mailer.settings.forgotResponseMilliseconds)
        var queued: UUID?
        let action = purpose == .resetPassword ? "password.reset_requested" : "email.verification_sent"
        if let email = EmailAddress.normalize(raw), let user = try await store.users.find(email: email) {
            if due(user) {
                let prepared = try await tokens.prepare(purpose, for: user)
                let via = purpose == .resetPassword ? "forgot" : "resend"
                queued = try await store.transaction { tx in
                    try await self.tokens.issue(prepared, for: user, actor: nil, via: via, meta: meta, in: tx)
                }
            }
        } else {
            await audit.recordDetached(
                audit.event(
                    action,
                    .failure,
                    meta: meta,
                    details: ["reason": "unknown_email", "email": String(raw.prefix(FieldLimits.storedEmail))]
                ),
                in: store
            )
        }
        if let queued {
            await mailer.deliver([queued], waitingAtMost: max(.zero, floor - (ContinuousClock.now - started)))
        }
        let left = floor - (ContinuousClock.now - started)
        if left > .zero { try? await Task.sleep(for: left) }
    }

    /// `POST /auth/password/reset` with the link's token.
    public func reset(token: String, newPassword: String, meta: RequestMeta) async throws {
        guard Self.plausibleToken(token) else { throw AuthError.invalidOrExpiredCode }
        let hash = try await codes.linkHash(token)
        let now = clock.now()
        guard let request = try await store.emailTokens.live(tokenHash: hash, purpose: .resetPassword, now: now) else {
            throw AuthError.invalidOrExpiredCode
        }
        try await setPassword(newPassword, request: request, meta: meta, via: "link") { tx in
            try await tx.emailTokens.consume(tokenHash: hash, purpose: .resetPassword, now: now)
        }
    }

    /// `POST /auth/password/reset` with the address and the code.
    public func reset(email: String, code: String, newPassword: String, meta: RequestMeta) async throws {
        let (request, codeHash) = try await checkCode(code, email: email, purpose: .resetPassword)
        let now = clock.now()
        try await setPassword(newPassword, request: request, meta: meta, via: "code") { tx in
            try await tx.emailTokens.consume(id: request.id, codeHash: codeHash, now: now)
        }
    }

    /// Checks the new password first (a weak one does not spend the link), then, in one transaction: spends the
    /// request, stores the hash, revokes every session, audits, and queues the notice. The lockout of the address is
    /// lifted: whoever reset the password proved the inbox.
    private func setPassword(
        _ newPassword: String,
        request: EmailToken,
        meta: RequestMeta,
        via: String,
        consume: @escaping @Sendable (any AuthStore) async throws -> EmailToken?
    ) async throws {
        guard let user = try await store.users.find(id: request.userID), user.isActive else {
            throw AuthError.invalidOrExpiredCode
        }
        let problems = policy.check(newPassword, email: user.email, field: "new_password")
        guard problems.isEmpty else { throw AuthError.validation(problems) }
        let hash = try await hasher.hash(newPassword)
        let now = clock.now()
        let notice = try await store.transaction { tx in
            guard let spent = try await consume(tx), spent.userID == user.id,
                let current = try await tx.users.find(id: user.id), current.isActive
            else { throw AuthError.invalidOrExpiredCode }
            try await tx.users.updatePasswordHash(userID: user.id, hash: hash, at: now)
            if current.email == spent.email && !current.isVerified {
                try await tx.users.update(user.id, UserChanges(isVerified: true, updatedAt: now))
            }
            let revoked = try await tx.sessions.revokeAll(
                userID: user.id,
                except: nil,
                reason: "password_reset",
                at: now
            )
            // Links of the same purpose still out (an older request never sent) end with it.
            try await tx.announce(.user(user.id))
            try await self.audit.record(
                self.audit.event(
                    "password.reset",
                    .success,
                    actor: user.id,
                    user: user.id,
                    meta: meta,
                    details: ["via": via, "sessions_revoked": String(revoked.count)]
                ),
                in: tx
            )
            return try await self.mailer.queue(.passwordChanged, to: current.email, user: current, values: [:], in: tx)
        }
        cache.invalidate(user: user.id)
        try await store.loginThrottle.reset(key: LoginThrottle.key(for: user.email))
        await mailer.deliver([notice], waitingAtMost: .zero)
    }
}
