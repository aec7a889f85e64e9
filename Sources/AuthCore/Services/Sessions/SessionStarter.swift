import Foundation

/// Starts a session for a user whose credentials were just checked, and mints token pairs: shared by login and
/// refresh (and by every other way in that ends with a session).
public struct SessionStarter: Sendable {
    let store: any AuthStore
    let tokens: AccessTokenService
    let audit: AuditLog
    let clock: any AuthClock
    let refreshTokenTTL: TimeInterval
    /// A login changes the user's `last_login_at`, which `GET /auth/me` shows.
    let invalidations: InvalidationHub?

    public init(
        store: any AuthStore,
        tokens: AccessTokenService,
        audit: AuditLog,
        clock: any AuthClock,
        refreshTokenTTL: Int,
        invalidations: InvalidationHub? = nil
    ) {
        self.invalidations = invalidations
        self.store = store
        self.tokens = tokens
        self.audit = audit
        self.clock = clock
        self.refreshTokenTTL = TimeInterval(refreshTokenTTL)
    }

    /// Creates the session with its first refresh token, records the login and answers the token pair.
    public func start(
        for user: User,
        meta: RequestMeta,
        aal: Int = 1,
        amr: [String] = ["pwd"]
    ) async throws -> TokenPair {
        let now = clock.now()
        let session = Session(
            userID: user.id,
            createdAt: now,
            lastUsedAt: now,
            expiresAt: now.addingTimeInterval(refreshTokenTTL),
            ip: meta.ip,
            userAgent: meta.userAgent,
            aal: aal,
            amr: amr
        )
        let refreshToken = SecureToken.generate(byteCount: 32)
        let permissions = try await store.transaction { tx in
            try await tx.sessions.create(session, refreshTokenHash: SecureToken.hash(refreshToken))
            try await tx.users.recordLogin(userID: user.id, at: now)
            if self.invalidations != nil { try await tx.announce(.profile(user.id)) }
            let event = self.audit.event(
                "login.succeeded",
                .success,
                actor: user.id,
                user: user.id,
                meta: meta,
                details: ["session_id": session.id.uuidString.lowercased()]
            )
            try await self.audit.record(event, in: tx)
            return try await tx.users.permissions(userID: user.id, assurance: aal)
        }
        invalidations?.forget(.profile(user.id))
        var current = user
        current.lastLoginAt = now
        return try await pair(
            user: UserWithPermissions(user: current, permissions: permissions),
            session: session,
            refreshToken: refreshToken,
            now: now
        )
    }

    /// A new access token for the session, with the refresh token it goes with.
    func pair(user: UserWithPermissions, session: Session, refreshToken: String, now: Date) async throws -> TokenPair {
        let signed = try await tokens.sign(
            userID: user.user.id,
            sessionID: session.id,
            email: user.user.email,
            roles: user.user.roles,
            permissions: user.permissions,
            aal: session.aal,
            amr: session.amr
        )
        let refreshLeft = max(0, Int(session.expiresAt.timeIntervalSince(now).rounded()))
        return TokenPair(
            accessToken: signed.token,
            expiresIn: tokens.settings.ttl,
            refreshToken: refreshToken,
            refreshExpiresIn: refreshLeft,
            user: user,
            sessionID: session.id
        )
    }
}
