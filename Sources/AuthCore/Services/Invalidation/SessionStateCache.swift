import Foundation
import Synchronization

/// A small per-instance cache of session state, so an authenticated request need not read the database
/// each time. Invalidations go through the `InvalidationHub`: at once on this instance, and to the other
/// instances when there is a bus (PostgreSQL LISTEN/NOTIFY). Entries live as long as the hub says.
public final class SessionStateCache: Sendable {
    struct Entry: Sendable {
        var state: SessionState
        var expires: Date
        /// Past this, the first reader refreshes the entry in the background, so that hot sessions never make a
        /// request wait for the database when they expire (on SQLite's single connection that wait was the p99).
        var refreshAfter: Date
        var refreshing = false
    }
    private let entries = Mutex<[UUID: Entry]>([:])
    private let capacity: Int
    public let hub: InvalidationHub

    public init(hub: InvalidationHub, capacity: Int = 50_000) {
        self.hub = hub
        self.capacity = capacity
        hub.subscribe { [weak self] message in self?.forget(message) }
    }

    private func forget(_ message: CacheInvalidation) {
        entries.withLock { entries in
            switch message {
            case .session(let id): entries[id] = nil
            case .user(let user): entries = entries.filter { $0.value.state.userID != user }
            case .all: entries.removeAll(keepingCapacity: true)
            case .serviceClient, .personalToken: break
            }
        }
    }

    /// The cached state, and whether this caller should refresh it (once per entry, in the second half of its life).
    public func lookup(_ sessionID: UUID, now: Date) -> (state: SessionState?, refresh: Bool) {
        entries.withLock { entries in
            guard var entry = entries[sessionID] else { return (nil, false) }
            if entry.expires <= now {
                entries[sessionID] = nil
                return (nil, false)
            }
            guard entry.refreshAfter <= now, !entry.refreshing else { return (entry.state, false) }
            entry.refreshing = true
            entries[sessionID] = entry
            return (entry.state, true)
        }
    }

    /// Caches `state`, read from the database after `generation` was taken, unless an invalidation came since.
    public func put(_ state: SessionState, now: Date, readAfter generation: UInt64) {
        let ttl = hub.currentTTL
        guard ttl > 0 else { return }
        entries.withLock { entries in
            guard hub.generation == generation else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[state.session.id] = Entry(
                state: state,
                expires: now.addingTimeInterval(ttl),
                refreshAfter: now.addingTimeInterval(ttl / 2)
            )
        }
    }

    /// Drops the entry here only (the session no longer exists: nothing to tell the others).
    public func forget(session: UUID) { _ = entries.withLock { $0.removeValue(forKey: session) } }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    public func invalidate(session: UUID) { hub.forget(.session(session)) }

    public func invalidate(user: UUID) { hub.forget(.user(user)) }

    public func invalidateAll() { hub.forget(.all) }
}
