import Foundation

/// Session state per session, so an authenticated request need not read the database each time. Bounded
/// (`ClockCache`: a full cache evicts its coldest entries one at a time). Invalidations go through the
/// `InvalidationHub`: at once on this instance, and to the other instances over the bus. A session's entry is removed
/// when the session is invalidated; a user's (or everyone's) invalidation is applied lazily: each entry remembers the
/// versions it was read under, and a lookup that finds them moved treats the entry as absent.
public final class SessionStateCache: Sendable {
    struct Entry: Sendable {
        var state: SessionState
        var expires: Date
        /// Past this, the first reader refreshes the entry in the background, so that hot sessions never make a
        /// request wait for the database when they expire (on SQLite's single connection that wait was the p99).
        var refreshAfter: Date
        var refreshing = false
        var userVersion: UInt64
        var epoch: UInt64
    }

    /// Taken before the database read: the versions of the keys the entry will depend on.
    public struct ReadTicket: Sendable {
        let session: UUID
        let user: UUID
        let sessionVersion: UInt64
        let userVersion: UInt64
        let epoch: UInt64
    }

    private let entries: ClockCache<UUID, Entry>
    public let hub: InvalidationHub
    /// What one entry costs in memory, for sizing by budget: `bench/run`'s scale scenario measures a session (its state
    /// and its verified token) by RSS over entries; this is that less `AccessTokenService.bytesPerVerifiedToken`.
    public static let bytesPerEntry = 600

    public init(hub: InvalidationHub, capacity: Int = 50_000) {
        self.hub = hub
        self.entries = ClockCache(capacity: capacity)
        hub.subscribe { [weak self] message in self?.forget(message) }
    }

    public var capacity: Int { entries.capacity }
    public var count: Int { entries.count }

    private func forget(_ message: CacheInvalidation) {
        switch message {
        case .session(let id): entries.remove(id)
        case .all: entries.removeAll()
        case .user, .profile, .serviceClient, .personalToken: break  // .user: lazily, by version
        }
    }

    public func ticket(session: UUID, user: UUID) -> ReadTicket {
        ReadTicket(
            session: session,
            user: user,
            sessionVersion: hub.version(of: .session(session)),
            userVersion: hub.version(of: .user(user)),
            epoch: hub.epoch
        )
    }

    /// The cached state, and whether this caller should refresh it (once per entry, late in its life).
    public func lookup(_ sessionID: UUID, now: Date) -> (state: SessionState?, refresh: Bool) {
        entries.withEntry(sessionID) { entry in
            guard var current = entry else { return (nil, false) }
            guard current.expires > now, current.epoch == hub.epoch,
                current.userVersion == hub.version(of: .user(current.state.userID))
            else {
                entry = nil
                return (nil, false)
            }
            guard current.refreshAfter <= now, !current.refreshing else { return (current.state, false) }
            current.refreshing = true
            entry = current
            return (current.state, true)
        }
    }

    /// Caches `state`, read from the database after `ticket` was taken, unless its session or user was invalidated
    /// since (or it is not the session and user the ticket was taken for).
    public func put(_ state: SessionState, now: Date, ticket: ReadTicket) {
        let ttl = hub.currentTTL
        guard ttl > 0, state.session.id == ticket.session, state.userID == ticket.user else { return }
        // Spread expiries over the last tenth of the TTL, so entries cached together are not all re-read together.
        let life = ttl * Double.random(in: 0.9...1.0)
        var slim = state
        slim.session.ip = nil
        slim.session.userAgent = nil
        slim.session.revokeReason = nil
        slim.session.amr = SharedLists.shared(slim.session.amr)
        slim.roles = SharedLists.shared(slim.roles)
        slim.permissions = SharedLists.shared(slim.permissions)
        slim.stepUpPermissions = SharedLists.shared(slim.stepUpPermissions)
        entries.withEntry(state.session.id) { entry in
            guard hub.version(of: .session(ticket.session)) == ticket.sessionVersion,
                hub.version(of: .user(ticket.user)) == ticket.userVersion, hub.epoch == ticket.epoch
            else { return }
            entry = Entry(
                state: slim,
                expires: now.addingTimeInterval(life),
                refreshAfter: now.addingTimeInterval(life * 0.75),
                userVersion: ticket.userVersion,
                epoch: ticket.epoch
            )
        }
    }

    /// Drops the entry here only (the session no longer exists: nothing to tell the others).
    public func forget(session: UUID) { entries.remove(session) }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    public func invalidate(session: UUID) { hub.forget(.session(session)) }

    public func invalidate(user: UUID) { hub.forget(.user(user)) }

    /// What `GET /auth/me` shows changed, not the session's state (a login's time, a name).
    public func invalidate(profile user: UUID) { hub.forget(.profile(user)) }

    public func invalidateAll() { hub.forget(.all) }
}
