import Crypto
import Foundation

/// TOTP (RFC 6238) as a second factor: enrolment behind the password, confirmation by a first code, ten single-use
/// recovery codes, the second step of a login, disabling (password and a code) and an administrator's reset.
/// A code is never accepted twice (the last used step is stored, moved by one conditional UPDATE), and the secret is
/// encrypted at rest under `AUTH_ENCRYPTION_KEY` when it is set.
public final class MFAService: Sendable {
    public struct Setup: Sendable {
        /// Base32, for typing into an authenticator app.
        public var secret: String
        /// `otpauth://totp/…`, for a QR code.
        public var uri: String
    }

    let store: any AuthStore
    private let accounts: AccountService
    let starter: SessionStarter
    let throttle: LoginThrottle
    private let delegation: DelegationGuard
    private let cache: SessionStateCache
    let audit: AuditLog
    let clock: any AuthClock
    let secretBox: SecretBox?
    private let issuer: String
    let mailer: Mailer

    public init(
        store: any AuthStore,
        accounts: AccountService,
        starter: SessionStarter,
        throttle: LoginThrottle,
        delegation: DelegationGuard,
        cache: SessionStateCache,
        audit: AuditLog,
        clock: any AuthClock,
        secretBox: SecretBox?,
        issuer: String,
        mailer: Mailer
    ) {
        self.mailer = mailer
        self.store = store
        self.accounts = accounts
        self.starter = starter
        self.throttle = throttle
        self.delegation = delegation
        self.cache = cache
        self.audit = audit
        self.clock = clock
        self.secretBox = secretBox
        self.issuer = issuer
    }

    // MARK: Enrolment

    /// A new secret, pending until `confirm`. Needs the current password (a wrong one counts as a failed login).
    public func begin(_ principal: Principal, currentPassword: String, meta: RequestMeta) async throws -> Setup {
        _ = try principal.requireSession()
        let user = try await currentUser(principal)
        if let existing = try await store.mfa.totp(userID: user.id), existing.isConfirmed {
            throw AuthError.mfaAlreadyEnabled
        }
        try await accounts.checkCurrentPassword(currentPassword, of: user, meta: meta)
        let secret = Base32.encode(TOTP.generateKey())
        let stored = try secretBox?.seal(secret, context: RecoveryCodes.sealingContext(user.id)) ?? secret
        try await store.transaction { tx in
            try await tx.mfa.saveTOTP(TOTPEnrolment(userID: user.id, secret: stored, createdAt: self.clock.now()))
            let event = self.audit.event("mfa.enrolment_started", .success, actor: user.id, user: user.id, meta: meta)
            try await self.audit.record(event, in: tx)
        }
        return Setup(secret: secret, uri: TOTP.provisioningURI(secret: secret, account: user.email, issuer: issuer))
    }

    /// The first code turns the pending secret on; answers the ten recovery codes, shown this once.
    public func confirm(_ principal: Principal, code: String, meta: RequestMeta) async throws -> [String] {
        _ = try principal.requireSession()
        guard let enrolment = try await store.mfa.totp(userID: principal.userID), !enrolment.isConfirmed else {
            throw AuthError.mfaNotPending
        }
        let now = clock.now()
        guard let step = try totp(of: enrolment).matchingStep(code, at: now) else {
            await failed("mfa.confirmation_failed", user: principal.userID, meta: meta)
            throw AuthError.incorrectMFACode
        }
        let codes = RecoveryCodes.generate()
        try await store.transaction { tx in
            guard try await tx.mfa.confirmTOTP(userID: principal.userID, at: now, step: step) else {
                throw AuthError.mfaNotPending
            }
            try await tx.mfa.replaceRecoveryCodes(
                userID: principal.userID,
                hashes: codes.map(RecoveryCodes.hash),
                at: now
            )
            try await tx.announce(.profile(principal.userID))  // `mfa_enabled` in GET /auth/me
            let event = self.audit.event(
                "mfa.enabled",
                .success,
                actor: principal.userID,
                user: principal.userID,
                meta: meta
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidate(profile: principal.userID)
        return codes
    }

    /// Needs the password and a current code (or a recovery code); ends every other session of the user.
    public func disable(_ principal: Principal, currentPassword: String, code: String, meta: RequestMeta) async throws {
        let sessionID = try principal.requireSession()
        let user = try await currentUser(principal)
        guard let enrolment = try await store.mfa.totp(userID: user.id), enrolment.isConfirmed else {
            throw AuthError.mfaNotEnabled
        }
        try await accounts.checkCurrentPassword(currentPassword, of: user, meta: meta)
        guard try await useSecondFactor(code: code, recoveryCode: nil, of: enrolment) != nil else {
            await failed("mfa.disable_failed", user: user.id, meta: meta)
            throw AuthError.incorrectMFACode
        }
        let now = clock.now()
        try await store.transaction { tx in
            _ = try await tx.mfa.deleteTOTP(userID: user.id)
            let revoked = try await tx.sessions.revokeAll(
                userID: user.id,
                except: sessionID,
                reason: "mfa_disabled",
                at: now
            )
            try await tx.announce(revoked.isEmpty ? .profile(user.id) : .user(user.id))
            let event = self.audit.event(
                "mfa.disabled",
                .success,
                actor: user.id,
                user: user.id,
                meta: meta,
                details: ["sessions_revoked": String(revoked.count)]
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidate(user: user.id)
    }

    /// Ten new recovery codes for a valid TOTP code; the old ones stop working.
    public func regenerateRecoveryCodes(
        _ principal: Principal,
        code: String,
        meta: RequestMeta
    ) async throws
        -> [String]
    {
        _ = try principal.requireSession()
        guard let enrolment = try await store.mfa.totp(userID: principal.userID), enrolment.isConfirmed else {
            throw AuthError.mfaNotEnabled
        }
        guard try await useSecondFactor(code: code, recoveryCode: nil, of: enrolment, allowRecovery: false) != nil
        else {
            await failed("mfa.recovery_codes_failed", user: principal.userID, meta: meta)
            throw AuthError.incorrectMFACode
        }
        let codes = RecoveryCodes.generate()
        let now = clock.now()
        try await store.transaction { tx in
            try await tx.mfa.replaceRecoveryCodes(
                userID: principal.userID,
                hashes: codes.map(RecoveryCodes.hash),
                at: now
            )
            let event = self.audit.event(
                "mfa.recovery_codes_regenerated",
                .success,
                actor: principal.userID,
                user: principal.userID,
                meta: meta
            )
            try await self.audit.record(event, in: tx)
        }
        return codes
    }

    /// An administrator removes a user's second factor (the user lost the device and the codes), under the
    /// delegation rule.
    public func reset(userID: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard let user = try await store.users.find(id: userID) else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: userID, actor: actor, action: "mfa.reset", meta: meta)
        let notice = try await store.transaction { tx in
            guard try await tx.mfa.deleteTOTP(userID: userID) else { throw AuthError.mfaNotEnabled }
            let event = self.audit.event("mfa.reset", .success, actor: actor.userID, user: userID, meta: meta)
            try await self.audit.record(event, in: tx)
            try await tx.announce(.profile(userID))
            // The user hears of it: if it was not their request, the account is being taken over.
            return try await self.mailer.queue(.mfaReset, to: user.email, user: user, values: [:], in: tx)
        }
        cache.invalidate(profile: userID)
        await mailer.deliver([notice], waitingAtMost: .zero)
    }

    // MARK: Helpers

    enum Method { case totp, recoveryCode }

    /// Spends a TOTP step or a recovery code; nil when neither is valid (or the code was already used).
    func useSecondFactor(
        code: String?,
        recoveryCode: String?,
        of enrolment: TOTPEnrolment,
        allowRecovery: Bool = true
    ) async throws -> Method? {
        if let code {
            if let step = try totp(of: enrolment).matchingStep(code, at: clock.now()) {
                return try await store.mfa.useTOTPStep(userID: enrolment.userID, step: step) ? .totp : nil
            }
            // A recovery code typed where a code goes (disabling) is taken too.
            guard allowRecovery, code.count > TOTP.digits else { return nil }
            return try await useRecoveryCode(code, of: enrolment.userID) ? .recoveryCode : nil
        }
        if let recoveryCode, allowRecovery {
            return try await useRecoveryCode(recoveryCode, of: enrolment.userID) ? .recoveryCode : nil
        }
        return nil
    }

    private func useRecoveryCode(_ code: String, of userID: UUID) async throws -> Bool {
        let normalized = RecoveryCodes.normalize(code)
        guard normalized.count == RecoveryCodes.length else { return false }
        return try await store.mfa.useRecoveryCode(userID: userID, hash: SecureToken.hash(normalized), at: clock.now())
    }

    private func totp(of enrolment: TOTPEnrolment) throws -> TOTP {
        let secret =
            try secretBox?.open(enrolment.secret, context: RecoveryCodes.sealingContext(enrolment.userID))
            ?? SecretBox.openWithoutKey(enrolment.secret)
        guard let totp = TOTP(base32: secret) else { throw AuthError.internalError }
        return totp
    }

    private func currentUser(_ principal: Principal) async throws -> User {
        guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        return user
    }

    func failed(_ action: String, user: UUID, meta: RequestMeta) async {
        await audit.recordDetached(audit.event(action, .failure, actor: user, user: user, meta: meta), in: store)
    }
}
