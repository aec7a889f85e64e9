import Foundation

/// Listing and ending sessions: the user's own (`/auth/sessions`, `/auth/logout`) and, for admins, anyone's.
public final class SessionService: Sendable {
    private let store: any AuthStore
    private let cache: SessionStateCache
    private let audit: AuditLog
    private let clock: any AuthClock
    private let idleTimeout: TimeInterval
    private let delegation: DelegationGuard

    public init(
        store: any AuthStore,
        cache: SessionStateCache,
        audit: AuditLog,
        clock: any AuthClock,
        idleTimeout: Int,
        delegation: DelegationGuard
    ) {
        self.delegation = delegation
        self.store = store
        self.cache = cache
        self.audit = audit
        self.clock = clock
        self.idleTimeout = TimeInterval(idleTimeout)
    }

    /// The user's live sessions.
    public func sessions(of userID: UUID) async throws -> [Session] {
        try await store.sessions.list(userID: userID, activeAt: clock.now(), idleTimeout: idleTimeout)
    }

    /// Ends the caller's session, or all of its sessions.
    public func logout(_ principal: Principal, allSessions: Bool, meta: RequestMeta) async throws {
        let sessionID = try principal.requireSession()
        let now = clock.now()
        try await store.transaction { tx in
            var revoked = 0
            if allSessions {
                revoked = try await tx.sessions.revokeAll(
                    userID: principal.userID,
                    except: nil,
                    reason: "logout_all",
                    at: now
                ).count
            } else if try await tx.sessions.revoke(id: sessionID, reason: "logout", at: now) {
                revoked = 1
            }
            let event = self.audit.event(
                "logout",
                .success,
                actor: principal.userID,
                user: principal.userID,
                meta: meta,
                details: ["all_sessions": String(allSessions), "sessions_revoked": String(revoked)]
            )
            try await self.audit.record(event, in: tx)
            try await tx.announce(allSessions ? .user(principal.userID) : .session(sessionID))
        }
        if allSessions {
            cache.invalidate(user: principal.userID)
        } else {
            cache.invalidate(session: sessionID)
        }
    }

    /// Revokes one of the caller's own sessions; another user's is "not found".
    public func revokeOwnSession(_ principal: Principal, sessionID: UUID, meta: RequestMeta) async throws {
        guard let session = try await store.sessions.find(id: sessionID), session.userID == principal.userID,
            session.isActive(at: clock.now(), idleTimeout: idleTimeout)
        else { throw AuthError.sessionNotFound }
        let now = clock.now()
        try await store.transaction { tx in
            _ = try await tx.sessions.revoke(id: session.id, reason: "user_revoked", at: now)
            try await tx.announce(.session(session.id))
            let event = self.audit.event(
                "session.revoked",
                .success,
                actor: principal.userID,
                user: session.userID,
                meta: meta,
                details: ["session_id": session.id.uuidString.lowercased(), "reason": "user_revoked"]
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidate(session: session.id)
    }

    /// Revokes one session of `userID` on an administrator's behalf (who must cover the user's permissions).
    public func revoke(
        session sessionID: UUID,
        of userID: UUID,
        actor principal: Principal,
        meta: RequestMeta
    )
        async throws
    {
        try await delegation.requireCovering(user: userID, actor: principal, action: "sessions.revoke", meta: meta)
        guard let session = try await store.sessions.find(id: sessionID), session.userID == userID else {
            throw AuthError.sessionNotFound
        }
        let now = clock.now()
        let revoked = try await store.transaction { tx in
            guard try await tx.sessions.revoke(id: session.id, reason: "admin_revoked", at: now) else { return false }
            try await tx.announce(.session(session.id))
            let event = self.audit.event(
                "session.revoked",
                .success,
                actor: principal.userID,
                user: userID,
                meta: meta,
                details: ["session_id": session.id.uuidString.lowercased(), "reason": "admin_revoked"]
            )
            try await self.audit.record(event, in: tx)
            return true
        }
        guard revoked else { throw AuthError.sessionNotFound }
        cache.invalidate(session: session.id)
    }

    /// Revokes every live session of `userID` on an administrator's behalf (who must cover the user's permissions).
    public func revokeAll(of userID: UUID, actor principal: Principal, meta: RequestMeta) async throws {
        try await delegation.requireCovering(user: userID, actor: principal, action: "sessions.revoke", meta: meta)
        let actor = principal.userID
        let now = clock.now()
        let revoked = try await store.transaction { tx in
            let revoked = try await tx.sessions.revokeAll(userID: userID, except: nil, reason: "admin_revoked", at: now)
            if !revoked.isEmpty { try await tx.announce(.user(userID)) }
            let event = self.audit.event(
                "session.revoked",
                .success,
                actor: actor,
                user: userID,
                meta: meta,
                details: ["sessions_revoked": String(revoked.count), "reason": "admin_revoked"]
            )
            try await self.audit.record(event, in: tx)
            return revoked
        }
        if !revoked.isEmpty { cache.invalidate(user: userID) }
    }
}
