import Foundation
import Synchronization

/// Personal access token state by secret hash, so a busy token is not a database read per request. Invalidated like
/// session state: a revoked token, a changed user (disabled, deleted, roles) or a changed role, here at once and on
/// the other instances through the `InvalidationHub`.
public final class PersonalTokenCache: Sendable {
    struct Entry: Sendable {
        var state: PersonalTokenState
        var expires: Date
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int
    let hub: InvalidationHub

    public init(hub: InvalidationHub, capacity: Int = 50_000) {
        self.hub = hub
        self.capacity = capacity
        hub.subscribe { [weak self] message in self?.forget(message) }
    }

    private func forget(_ message: CacheInvalidation) {
        entries.withLock { entries in
            switch message {
            case .personalToken(let id): entries = entries.filter { $0.value.state.token.id != id }
            case .user(let user): entries = entries.filter { $0.value.state.token.userID != user }
            case .all: entries.removeAll(keepingCapacity: true)
            case .session, .serviceClient: break
            }
        }
    }

    func lookup(_ hash: String, now: Date) -> PersonalTokenState? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard entry.expires > now else {
                entries[hash] = nil
                return nil
            }
            return entry.state
        }
    }

    /// Caches `state`, read after `generation` was taken, unless an invalidation came since.
    func put(_ hash: String, _ state: PersonalTokenState, now: Date, readAfter generation: UInt64) {
        let ttl = hub.currentTTL
        guard ttl > 0 else { return }
        entries.withLock { entries in
            guard hub.generation == generation else { return }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(state: state, expires: now.addingTimeInterval(ttl))
        }
    }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    func invalidate(token id: UUID) { hub.forget(.personalToken(id)) }
}
