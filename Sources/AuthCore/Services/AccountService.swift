import Foundation
import Logging

public struct RegistrationInput: Sendable {
    public var email: String
    public var password: String
    public var profile: ProfileChanges
    public init(email: String, password: String, profile: ProfileChanges = ProfileChanges()) {
        self.email = email
        self.password = password
        self.profile = profile
    }
}

/// Accounts, logins, sessions and refresh-token rotation: everything a user does to itself.
public final class AccountService: Sendable {
    public struct Settings: Sendable {
        public var refreshTokenTTL: Int
        public var sessionIdleTimeout: Int
        public var refreshReuseGrace: Int
        public init(refreshTokenTTL: Int, sessionIdleTimeout: Int, refreshReuseGrace: Int) {
            self.refreshTokenTTL = refreshTokenTTL
            self.sessionIdleTimeout = sessionIdleTimeout
            self.refreshReuseGrace = refreshReuseGrace
        }
        public init(_ c: AuthConfiguration) {
            self.init(refreshTokenTTL: c.refreshTokenTTL, sessionIdleTimeout: c.sessionIdleTimeout, refreshReuseGrace: c.refreshReuseGrace)
        }
    }

    public let store: any AuthStore
    public let tokens: AccessTokenService
    public let hasher: any PasswordHasher
    public let policy: PasswordPolicy
    public let throttle: LoginThrottle
    public let cache: SessionStateCache
    public let audit: AuditLog
    public let clock: any AuthClock
    public let settings: Settings
    let dummyHash: String
    let logger: Logger

    public init(store: any AuthStore, tokens: AccessTokenService, hasher: any PasswordHasher, dummyHash: String, policy: PasswordPolicy,
                throttle: LoginThrottle, cache: SessionStateCache, audit: AuditLog, clock: any AuthClock, settings: Settings, logger: Logger) {
        self.store = store
        self.tokens = tokens
        self.hasher = hasher
        self.dummyHash = dummyHash
        self.policy = policy
        self.throttle = throttle
        self.cache = cache
        self.audit = audit
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    var idleTimeout: TimeInterval { TimeInterval(settings.sessionIdleTimeout) }

    // MARK: Registration

    public func register(_ input: RegistrationInput, meta: RequestMeta) async throws -> UserWithPermissions {
        let user = try await newUser(email: input.email, password: input.password, profile: input.profile, roles: [Role.user.name])
        try await store.transaction { tx in
            try await tx.users.create(user)
            try await self.audit.record(self.audit.event("user.registered", .success, actor: user.id, user: user.id, meta: meta), in: tx)
        }
        return UserWithPermissions(user: user, permissions: [])
    }

    /// Validates and hashes; shared by registration, admin creation and the bootstrap admin.
    public func newUser(email rawEmail: String, password: String, profile: ProfileChanges, roles: [String],
                        isActive: Bool = true, isVerified: Bool = false) async throws -> User {
        var errors: [FieldError] = []
        let email = EmailAddress.normalize(rawEmail)
        if email == nil {
            errors.append(FieldError(field: "email", code: "invalid_format", message: "A valid email address, at most 254 characters."))
        }
        errors += policy.check(password, email: email)
        errors += profile.validate()
        guard errors.isEmpty, let email else { throw AuthError.validation(errors) }
        let now = clock.now()
        var user = User(email: email, passwordHash: try await hasher.hash(password), isActive: isActive, isVerified: isVerified,
                        createdAt: now, updatedAt: now, roles: roles.sorted())
        profile.apply(to: &user.profile)
        return user
    }

    // MARK: Login

    public func login(email rawEmail: String, password: String, meta: RequestMeta) async throws -> TokenPair {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let key = LoginThrottle.key(for: email)
        let now = clock.now()
        if let wait = throttle.retryAfter(try await store.loginThrottle.state(key: key), now: now) {
            let user = try await store.users.find(email: email)
            await audit.recordDetached(audit.event("login.throttled", .failure, user: user?.id, meta: meta,
                                                   details: ["email": String(email.prefix(254))]), in: store)
            throw AuthError.loginThrottled(retryAfter: wait)
        }
        let user = try await store.users.find(email: email)
        // Unknown emails pay one real bcrypt comparison too, so timing does not tell them apart.
        let matches = try await hasher.verify(password, hash: user?.passwordHash ?? dummyHash)
        guard let user, matches, user.isActive else {
            let reason = user == nil ? "unknown_email" : (matches ? "account_disabled" : "wrong_password")
            let state = try await store.loginThrottle.modify(key: key) { [throttle] in throttle.failing($0, now: now) }
            await audit.recordDetached(audit.event("login.failed", .failure, user: user?.id, meta: meta,
                                                   details: ["reason": reason, "email": String(email.prefix(254))]), in: store)
            if let wait = throttle.retryAfter(state, now: now), state.failures == throttle.maxFailures || state.hourFailures == LoginThrottle.hourlyCeiling {
                await audit.recordDetached(audit.event("login.throttled", .failure, user: user?.id, meta: meta,
                                                       details: ["email": String(email.prefix(254)), "retry_after": String(wait)]), in: store)
            }
            throw AuthError.invalidCredentials
        }
        try await store.loginThrottle.reset(key: key)
        return try await startSession(for: user, meta: meta)
    }

    func startSession(for user: User, meta: RequestMeta) async throws -> TokenPair {
        let now = clock.now()
        let session = Session(userID: user.id, createdAt: now, lastUsedAt: now,
                              expiresAt: now.addingTimeInterval(TimeInterval(settings.refreshTokenTTL)), ip: meta.ip, userAgent: meta.userAgent)
        let refreshToken = SecureToken.generate(byteCount: 32)
        let permissions = try await store.transaction { tx in
            try await tx.sessions.create(session, refreshTokenHash: SecureToken.hash(refreshToken))
            try await tx.users.recordLogin(userID: user.id, at: now)
            try await self.audit.record(self.audit.event("login.succeeded", .success, actor: user.id, user: user.id, meta: meta,
                                                         details: ["session_id": session.id.uuidString.lowercased()]), in: tx)
            return try await tx.users.permissions(userID: user.id)
        }
        var current = user
        current.lastLoginAt = now
        return try await pair(user: UserWithPermissions(user: current, permissions: permissions), session: session, refreshToken: refreshToken,
                              now: now)
    }

    func pair(user: UserWithPermissions, session: Session, refreshToken: String, now: Date) async throws -> TokenPair {
        let signed = try await tokens.sign(userID: user.user.id, sessionID: session.id, email: user.user.email,
                                           roles: user.user.roles, permissions: user.permissions)
        let refreshLeft = max(0, Int(session.expiresAt.timeIntervalSince(now).rounded()))
        return TokenPair(accessToken: signed.token, expiresIn: tokens.settings.ttl, refreshToken: refreshToken,
                         refreshExpiresIn: refreshLeft, user: user, sessionID: session.id)
    }

    // MARK: Refresh

    enum RefreshOutcome: Sendable {
        case rotated(SessionState, newToken: String)
        case invalid
        case justRotated
        case reused(sessionID: UUID, userID: UUID?)
    }

    /// Exchanges a refresh token for a new pair. The claim of the old token is one atomic update: of two
    /// concurrent refreshes with one token, only one mints a successor.
    public func refresh(token: String, meta: RequestMeta) async throws -> TokenPair {
        guard !token.isEmpty, token.utf8.count <= 256 else { throw AuthError.invalidRefreshToken }
        let hash = SecureToken.hash(token)
        let now = clock.now()
        let outcome: RefreshOutcome = try await store.transaction { tx in
            if let claimed = try await tx.sessions.claimRefreshToken(hash: hash, at: now) {
                guard let state = try await tx.sessions.state(sessionID: claimed.sessionID),
                      state.session.isActive(at: now, idleTimeout: self.idleTimeout), state.userActive
                else { return .invalid }
                let next = SecureToken.generate(byteCount: 32)
                try await tx.sessions.addRefreshToken(sessionID: claimed.sessionID, hash: SecureToken.hash(next), parent: claimed.id, at: now)
                try await self.audit.record(self.audit.event("token.refreshed", .success, actor: state.userID, user: state.userID, meta: meta,
                                                             details: ["session_id": claimed.sessionID.uuidString.lowercased()]), in: tx)
                return .rotated(state, newToken: next)
            }
            guard let record = try await tx.sessions.findRefreshToken(hash: hash), let rotatedAt = record.rotatedAt else { return .invalid }
            guard let session = try await tx.sessions.find(id: record.sessionID), session.revokedAt == nil else { return .invalid }
            // The token just rotated, presented again while its successor is unused and within the grace: a retry, not theft.
            if record.successorUnused, now.timeIntervalSince(rotatedAt) <= TimeInterval(self.settings.refreshReuseGrace) {
                return .justRotated
            }
            _ = try await tx.sessions.revoke(id: session.id, reason: "refresh_token_reused", at: now)
            try await self.audit.record(self.audit.event("refresh_token.reused", .failure, user: session.userID, meta: meta,
                                                         details: ["session_id": session.id.uuidString.lowercased()]), in: tx)
            return .reused(sessionID: session.id, userID: session.userID)
        }
        switch outcome {
        case .rotated(var state, let next):
            state.session.lastUsedAt = now
            guard let user = try await store.users.find(id: state.userID) else { throw AuthError.invalidRefreshToken }
            return try await pair(user: UserWithPermissions(user: user, permissions: state.permissions), session: state.session, refreshToken: next,
                                  now: now)
        case .invalid:
            throw AuthError.invalidRefreshToken
        case .justRotated:
            throw AuthError.refreshTokenRotated
        case .reused(let sessionID, _):
            await cache.invalidate(session: sessionID)
            logger.warning("refresh token reuse detected; session revoked", metadata: ["session_id": .string(sessionID.uuidString.lowercased())])
            throw AuthError.refreshTokenReused
        }
    }

    // MARK: Authentication of requests

    /// Verifies an access token and checks its session and user now. Throws `AuthError.invalidToken`.
    public func authenticate(accessToken: String) async throws -> Principal {
        let claims = try await tokens.verify(accessToken)
        guard let sessionID = UUID(parsing: claims.sid), let userID = UUID(parsing: claims.sub) else { throw AuthError.invalidToken }
        let now = clock.now()
        func accepts(_ state: SessionState?) -> SessionState? {
            guard let state, state.userID == userID, state.userActive, state.session.isActive(at: now, idleTimeout: idleTimeout)
            else { return nil }
            return state
        }
        // Revocations reach the cache as invalidations. A cached refusal that is final (revoked, past its absolute
        // expiry, another user's session) is answered from the cache; one that could have changed since (idle
        // timeout: refreshed on another instance; the user re-enabled) is checked against the database.
        let cached = cache.lookup(sessionID, now: now)
        if let s = cached.state, s.session.hasEnded(at: now) || s.userID != userID {
            throw AuthError.invalidToken
        }
        var state = accepts(cached.state)
        if state == nil {
            state = accepts(try await freshSessionState(sessionID))
        } else if cached.refresh {
            Task { [self] in _ = try? await freshSessionState(sessionID) }
        }
        guard let state else { throw AuthError.invalidToken }
        return Principal(userID: userID, sessionID: sessionID, email: state.email, roles: state.roles, permissions: state.permissions, claims: claims)
    }

    /// Reads the session's state from the database and caches it.
    func freshSessionState(_ id: UUID) async throws -> SessionState? {
        let generation = cache.hub.generation
        guard let state = try await store.sessions.state(sessionID: id) else {
            cache.forget(session: id)
            return nil
        }
        cache.put(state, now: clock.now(), readAfter: generation)
        return state
    }

    // MARK: The user's own account

    public func me(_ principal: Principal) async throws -> UserWithPermissions {
        guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        return UserWithPermissions(user: user, permissions: try await store.users.permissions(userID: user.id))
    }

    public func updateProfile(_ principal: Principal, changes: ProfileChanges, email newEmail: String?, currentPassword: String?,
                              meta: RequestMeta) async throws -> UserWithPermissions {
        guard var user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        var errors = changes.validate()
        var normalized: String?
        if let newEmail {
            normalized = EmailAddress.normalize(newEmail)
            if normalized == nil {
                errors.append(FieldError(field: "email", code: "invalid_format", message: "A valid email address, at most 254 characters."))
            } else if normalized != user.email && currentPassword == nil {
                errors.append(FieldError(field: "current_password", code: "required", message: "Changing the email needs the current password."))
            }
        }
        guard errors.isEmpty else { throw AuthError.validation(errors) }
        var changed: [String] = []
        if let normalized, normalized != user.email {
            try await checkCurrentPassword(currentPassword ?? "", of: user, meta: meta)
            user.email = normalized
            changed.append("email")
        }
        let before = user.profile
        changes.apply(to: &user.profile)
        changed += profileFieldsChanged(before, user.profile)
        user.updatedAt = clock.now()
        let updated = user
        let fields = changed
        try await store.transaction { tx in
            try await tx.users.update(updated)
            try await self.audit.record(self.audit.event("profile.updated", .success, actor: updated.id, user: updated.id, meta: meta,
                                                         details: ["fields": fields.joined(separator: ",")]), in: tx)
        }
        await cache.invalidate(user: user.id)
        return UserWithPermissions(user: updated, permissions: try await store.users.permissions(userID: user.id))
    }

    func profileFieldsChanged(_ a: UserProfile, _ b: UserProfile) -> [String] {
        var fields: [String] = []
        if a.displayName != b.displayName { fields.append("display_name") }
        if a.givenName != b.givenName { fields.append("given_name") }
        if a.familyName != b.familyName { fields.append("family_name") }
        if a.locale != b.locale { fields.append("locale") }
        if a.timezone != b.timezone { fields.append("timezone") }
        if a.avatarURL != b.avatarURL { fields.append("avatar_url") }
        return fields
    }

    /// A wrong current password counts as a failed login for the account, so this is no way around the throttle.
    func checkCurrentPassword(_ password: String, of user: User, meta: RequestMeta) async throws {
        let key = LoginThrottle.key(for: user.email)
        let now = clock.now()
        if let wait = throttle.retryAfter(try await store.loginThrottle.state(key: key), now: now) {
            throw AuthError.loginThrottled(retryAfter: wait)
        }
        guard try await hasher.verify(password, hash: user.passwordHash) else {
            _ = try await store.loginThrottle.modify(key: key) { [throttle] in throttle.failing($0, now: now) }
            await audit.recordDetached(audit.event("password.verification_failed", .failure, actor: user.id, user: user.id, meta: meta), in: store)
            throw AuthError.invalidCurrentPassword
        }
    }

    public func changePassword(_ principal: Principal, current: String, new: String, meta: RequestMeta) async throws {
        guard let user = try await store.users.find(id: principal.userID) else { throw AuthError.invalidToken }
        let problems = policy.check(new, email: user.email, field: "new_password")
        guard problems.isEmpty else { throw AuthError.validation(problems) }
        try await checkCurrentPassword(current, of: user, meta: meta)
        let hash = try await hasher.hash(new)
        let now = clock.now()
        let revoked = try await store.transaction { tx in
            try await tx.users.updatePasswordHash(userID: user.id, hash: hash, at: now)
            let revoked = try await tx.sessions.revokeAll(userID: user.id, except: principal.sessionID, reason: "password_changed", at: now)
            try await self.audit.record(self.audit.event("password.changed", .success, actor: user.id, user: user.id, meta: meta,
                                                         details: ["sessions_revoked": String(revoked.count)]), in: tx)
            return revoked
        }
        // One message for all of the user's sessions, however many were revoked.
        if !revoked.isEmpty { await cache.invalidate(user: user.id) }
    }

    // MARK: Sessions

    public func logout(_ principal: Principal, allSessions: Bool, meta: RequestMeta) async throws {
        let now = clock.now()
        _ = try await store.transaction { tx in
            var revoked: [UUID] = []
            if allSessions {
                revoked = try await tx.sessions.revokeAll(userID: principal.userID, except: nil, reason: "logout_all", at: now)
            } else if try await tx.sessions.revoke(id: principal.sessionID, reason: "logout", at: now) {
                revoked = [principal.sessionID]
            }
            try await self.audit.record(self.audit.event("logout", .success, actor: principal.userID, user: principal.userID, meta: meta,
                                                         details: ["all_sessions": String(allSessions), "sessions_revoked": String(revoked.count)]), in: tx)
            return revoked
        }
        if allSessions {
            await cache.invalidate(user: principal.userID)
        } else {
            await cache.invalidate(session: principal.sessionID)
        }
    }

    public func sessions(of userID: UUID) async throws -> [Session] {
        try await store.sessions.list(userID: userID, activeAt: clock.now(), idleTimeout: idleTimeout)
    }

    /// Revokes one of the caller's own sessions; another user's is "not found".
    public func revokeOwnSession(_ principal: Principal, sessionID: UUID, meta: RequestMeta) async throws {
        guard let session = try await store.sessions.find(id: sessionID), session.userID == principal.userID,
              session.isActive(at: clock.now(), idleTimeout: idleTimeout)
        else { throw AuthError.sessionNotFound }
        try await revokeSession(session, actor: principal.userID, reason: "user_revoked", meta: meta)
    }

    public func revokeSession(_ session: Session, actor: UUID, reason: String, meta: RequestMeta) async throws {
        let now = clock.now()
        try await store.transaction { tx in
            _ = try await tx.sessions.revoke(id: session.id, reason: reason, at: now)
            try await self.audit.record(self.audit.event("session.revoked", .success, actor: actor, user: session.userID, meta: meta,
                                                         details: ["session_id": session.id.uuidString.lowercased(), "reason": reason]), in: tx)
        }
        await cache.invalidate(session: session.id)
    }
}
