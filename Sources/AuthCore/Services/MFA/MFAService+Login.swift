import Foundation

/// The second step of a login: the challenge issued after a right password, and its answer.
extension MFAService {
    /// After a right password: nil when the user has no second factor, else the token of the second step.
    static func challenge(
        for user: User,
        throttleKey: String,
        store: any AuthStore,
        now: Date
    ) async throws -> String? {
        guard let enrolment = try await store.mfa.totp(userID: user.id), enrolment.isConfirmed else { return nil }
        let token = SecureToken.generate(byteCount: 32)
        let challenge = MFAChallenge(
            userID: user.id,
            throttleKey: throttleKey,
            createdAt: now,
            expiresAt: now.addingTimeInterval(MFAChallenge.lifetime)
        )
        try await store.mfa.createChallenge(challenge, hash: SecureToken.hash(token))
        return token
    }

    /// The second step of a login: the `mfa_token` and a TOTP code or a recovery code. Each try counts against the
    /// token (5) and the per-email lockout of the first step; success starts an aal-2 session.
    public func verifyLogin(
        mfaToken: String,
        code: String?,
        recoveryCode: String?,
        meta: RequestMeta
    ) async throws -> TokenPair {
        guard (code == nil) != (recoveryCode == nil) else {
            throw AuthError.validation(
                field: code == nil ? "code" : "recovery_code",
                code: "required",
                message: "Send either code or recovery_code."
            )
        }
        let now = clock.now()
        guard mfaToken.utf8.count <= 128,
            let challenge = try await store.mfa.countChallengeTry(hash: SecureToken.hash(mfaToken), now: now)
        else { throw AuthError.invalidMFAToken }
        let attempts = LoginAttempts(store: store, throttle: throttle)
        if case .locked(let wait) = try await attempts.reserve(key: challenge.throttleKey, now: now) {
            throw AuthError.loginThrottled(retryAfter: wait)
        }
        guard let user = try await store.users.find(id: challenge.userID), user.isActive,
            let enrolment = try await store.mfa.totp(userID: user.id), enrolment.isConfirmed
        else { throw AuthError.invalidMFAToken }
        guard let method = try await useSecondFactor(code: code, recoveryCode: recoveryCode, of: enrolment) else {
            await failed("mfa.failed", user: user.id, meta: meta)
            throw AuthError.invalidMFACode
        }
        guard try await store.mfa.consumeChallenge(id: challenge.id, at: now) else { throw AuthError.invalidMFAToken }
        try await attempts.succeeded(key: challenge.throttleKey)
        if method == .recoveryCode {
            let left = try await store.mfa.unusedRecoveryCodes(userID: user.id)
            await audit.recordDetached(
                audit.event(
                    "mfa.recovery_code_used",
                    .success,
                    actor: user.id,
                    user: user.id,
                    meta: meta,
                    details: ["recovery_codes_left": String(left)]
                ),
                in: store
            )
            // A recovery code is what a thief holding a stolen sheet would use: the owner is told.
            let notice = try await mailer.queue(
                .recoveryCodeUsed,
                to: user.email,
                user: user,
                values: ["remaining": String(left)],
                in: store
            )
            await mailer.deliver([notice], waitingAtMost: .zero)
        }
        return try await starter.start(for: user, meta: meta, aal: 2, amr: ["pwd", "otp"])
    }
}
