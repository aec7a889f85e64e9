import Foundation
import Logging

/// `POST /auth/refresh`: rotation of refresh tokens, reuse detection and the grace for a client's retry.
public final class RefreshService: Sendable {
    private let store: any AuthStore
    private let starter: SessionStarter
    private let cache: SessionStateCache
    private let profiles: ProfileCache
    private let audit: AuditLog
    private let clock: any AuthClock
    private let idleTimeout: TimeInterval
    /// How long the token just rotated may be presented again (while its successor is unused) without counting as
    /// theft.
    private let reuseGrace: TimeInterval
    private let logger: Logger

    public init(
        store: any AuthStore,
        starter: SessionStarter,
        cache: SessionStateCache,
        profiles: ProfileCache,
        audit: AuditLog,
        clock: any AuthClock,
        idleTimeout: Int,
        reuseGrace: Int,
        logger: Logger
    ) {
        self.store = store
        self.starter = starter
        self.cache = cache
        self.profiles = profiles
        self.audit = audit
        self.clock = clock
        self.idleTimeout = TimeInterval(idleTimeout)
        self.reuseGrace = TimeInterval(reuseGrace)
        self.logger = logger
    }

    /// Thrown inside the rotation's transaction to undo a claim that cannot be honoured.
    struct ClaimUndone: Error {}

    enum Outcome: Sendable {
        case rotated(SessionState, newToken: String)
        case invalid
        case justRotated
        case reused(sessionID: UUID)
    }

    /// Exchanges a refresh token for a new pair. The claim of the old token is one atomic update: of two
    /// concurrent refreshes with one token, only one mints a successor.
    public func refresh(token: String, meta: RequestMeta) async throws -> TokenPair {
        guard !token.isEmpty, token.utf8.count <= FieldLimits.refreshToken else { throw AuthError.invalidRefreshToken }
        let hash = SecureToken.hash(token)
        let now = clock.now()
        let outcome: Outcome
        do {
            outcome = try await store.transaction { tx in
                try await self.rotate(hash: hash, now: now, meta: meta, in: tx)
            }
        } catch is ClaimUndone {
            outcome = .invalid
        }
        switch outcome {
        case .rotated(var state, let next):
            state.session.lastUsedAt = now
            guard let user = try await user(state.userID, now: now) else { throw AuthError.invalidRefreshToken }
            return try await starter.pair(
                user: UserWithPermissions(user: user, permissions: state.effectivePermissions),
                session: state.session,
                refreshToken: next,
                now: now
            )
        case .invalid:
            throw AuthError.invalidRefreshToken
        case .justRotated:
            throw AuthError.refreshTokenRotated
        case .reused(let sessionID):
            cache.invalidate(session: sessionID)
            logger.warning(
                "refresh token reuse detected; session revoked",
                metadata: ["session_id": .string(sessionID.uuidString.lowercased())]
            )
            throw AuthError.refreshTokenReused
        }
    }

    /// The account for the answer, from the cache `GET /auth/me` uses when it has it (invalidated the same way).
    private func user(_ id: UUID, now: Date) async throws -> User? {
        if let cached = profiles.lookup(id, now: now) { return cached.user }
        return try await store.users.find(id: id)
    }

    /// The session's state, if live: the cached one when it shows that (as `SessionAuthenticator` trusts it), else
    /// read in the transaction. Idleness is judged by `rotation`'s record of the use before this one, since the
    /// rotation has already recorded this one.
    private func liveState(
        _ rotation: RefreshTokenRotation,
        now: Date,
        in tx: any AuthStore
    ) async throws -> SessionState? {
        func live(_ state: SessionState?) -> SessionState? {
            guard var state else { return nil }
            state.session.lastUsedAt = rotation.sessionLastUsedAt
            guard state.userActive, state.session.isActive(at: now, idleTimeout: idleTimeout) else { return nil }
            return state
        }
        let sessionID = rotation.token.sessionID
        if let cached = live(cache.lookup(sessionID, now: now).state) { return cached }
        return live(try await tx.sessions.state(sessionID: sessionID))
    }

    /// When the session's state is cached: the rotation (one statement on PostgreSQL, three on SQLite) and the
    /// audit event.
    private func rotate(hash: String, now: Date, meta: RequestMeta, in tx: any AuthStore) async throws -> Outcome {
        let next = SecureToken.generate(byteCount: 32)
        if let rotation = try await tx.sessions.rotateRefreshToken(
            hash: hash,
            at: now,
            successor: UUID(),
            successorHash: SecureToken.hash(next)
        ) {
            let claimed = rotation.token
            guard let state = try await liveState(rotation, now: now, in: tx) else {
                // Roll the rotation back: the token stays unrotated, so the client's retry is refused the same way
                // rather than reported as reuse (a false theft alarm that would revoke the session).
                throw ClaimUndone()
            }
            let event = audit.event(
                "token.refreshed",
                .success,
                actor: state.userID,
                user: state.userID,
                meta: meta,
                details: ["session_id": claimed.sessionID.uuidString.lowercased()]
            )
            try await audit.record(event, in: tx)
            return .rotated(state, newToken: next)
        }
        guard let record = try await tx.sessions.findRefreshToken(hash: hash), let rotatedAt = record.rotatedAt,
            let session = try await tx.sessions.find(id: record.sessionID), session.revokedAt == nil
        else { return .invalid }
        // The token just rotated, presented again while its successor is unused and within the grace: a retry.
        if record.successorUnused, now.timeIntervalSince(rotatedAt) <= reuseGrace {
            let event = audit.event(
                "refresh_token.replayed",
                .failure,
                user: session.userID,
                meta: meta,
                details: ["session_id": session.id.uuidString.lowercased(), "within_grace": "true"]
            )
            try await audit.record(event, in: tx)
            return .justRotated
        }
        _ = try await tx.sessions.revoke(id: session.id, reason: "refresh_token_reused", at: now)
        try await tx.announce(.session(session.id))
        let event = audit.event(
            "refresh_token.reused",
            .failure,
            user: session.userID,
            meta: meta,
            details: ["session_id": session.id.uuidString.lowercased()]
        )
        try await audit.record(event, in: tx)
        return .reused(sessionID: session.id)
    }
}
