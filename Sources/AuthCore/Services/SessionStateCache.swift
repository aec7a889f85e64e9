import Foundation
import Synchronization

/// A small per-instance cache of session state, so an authenticated request need not read the database
/// each time. Changes made on this instance invalidate at once; entries expire after `ttl`, which bounds
/// how long another instance's revocation can go unseen here.
public final class SessionStateCache: Sendable {
    struct Entry: Sendable {
        var state: SessionState
        var expires: Date
    }
    private let entries = Mutex<[UUID: Entry]>([:])
    private let ttl: TimeInterval
    private let capacity: Int

    public init(ttl: TimeInterval, capacity: Int = 50_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    public func get(_ sessionID: UUID, now: Date) -> SessionState? {
        guard ttl > 0 else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[sessionID] else { return nil }
            if entry.expires <= now {
                entries[sessionID] = nil
                return nil
            }
            return entry.state
        }
    }

    public func put(_ state: SessionState, now: Date) {
        guard ttl > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[state.session.id] = Entry(state: state, expires: now.addingTimeInterval(ttl))
        }
    }

    public func invalidate(session: UUID) { _ = entries.withLock { $0.removeValue(forKey: session) } }

    public func invalidate(user: UUID) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.state.userID != user }
        }
    }

    public func invalidateAll() { entries.withLock { $0.removeAll() } }
}
