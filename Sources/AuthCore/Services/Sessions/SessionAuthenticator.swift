import Foundation

/// Turns an access token into the caller as the database sees it now: the signature and claims are checked by
/// `AccessTokenService`, then the session and the user must still be live. Used by the bearer middleware and by
/// `/auth/verify`. Session state is cached (`SessionStateCache`); revocations reach the cache as invalidations.
public final class SessionAuthenticator: Sendable {
    private let tokens: AccessTokenService
    private let sessions: any SessionRepository
    private let cache: SessionStateCache
    private let clock: any AuthClock
    private let idleTimeout: TimeInterval

    public init(
        tokens: AccessTokenService,
        sessions: any SessionRepository,
        cache: SessionStateCache,
        clock: any AuthClock,
        idleTimeout: TimeInterval
    ) {
        self.tokens = tokens
        self.sessions = sessions
        self.cache = cache
        self.clock = clock
        self.idleTimeout = idleTimeout
    }

    /// Verifies an access token and checks its session and user now. Throws `AuthError.invalidToken`.
    public func authenticate(accessToken: String) async throws -> Principal {
        let token = try await tokens.verify(accessToken)
        let (sessionID, userID) = (token.sessionID, token.userID)
        let now = clock.now()
        func accepts(_ state: SessionState?) -> SessionState? {
            guard let state, state.userID == userID, state.userActive,
                state.session.isActive(at: now, idleTimeout: idleTimeout)
            else { return nil }
            return state
        }
        // A cached refusal that is final (revoked, past its absolute expiry, another user's session) is answered
        // from the cache; one that could have changed since (idle timeout: refreshed on another instance; the user
        // re-enabled) is checked against the database.
        let cached = cache.lookup(sessionID, now: now)
        if let state = cached.state, state.session.hasEnded(at: now) || state.userID != userID {
            throw AuthError.invalidToken
        }
        var state = accepts(cached.state)
        if state == nil {
            state = accepts(try await freshState(sessionID, of: userID))
        } else if cached.refresh {
            Task { [self] in _ = try? await freshState(sessionID, of: userID) }
        }
        guard let state else { throw AuthError.invalidToken }
        return Principal(
            userID: userID,
            sessionID: sessionID,
            email: state.email,
            roles: state.roles,
            permissions: state.effectivePermissions,
            token: token,
            aal: state.session.aal,
            amr: state.session.amr
        )
    }

    /// Reads the session's state from the database and caches it (unless the session or its user was invalidated
    /// while the read ran).
    private func freshState(_ id: UUID, of user: UUID) async throws -> SessionState? {
        let ticket = cache.ticket(session: id, user: user)
        guard let state = try await sessions.state(sessionID: id) else {
            cache.forget(session: id)
            return nil
        }
        cache.put(state, now: clock.now(), ticket: ticket)
        return state
    }
}
