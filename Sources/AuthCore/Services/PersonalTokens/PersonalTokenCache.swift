import Foundation

/// Personal access token state by secret hash, so a busy token is not a database read per request. Invalidated like
/// session state: a revoked token, a changed user (disabled, deleted, roles) or a changed role, here at once and on
/// the other instances through the `InvalidationHub`. Bounded like it (`ClockCache`), and invalidated lazily: an entry
/// remembers the versions of its token and user, and a lookup that finds either moved treats it as absent.
public final class PersonalTokenCache: Sendable {
    struct Entry: Sendable {
        var state: PersonalTokenState
        var expires: Date
        var tokenVersion: UInt64
        var userVersion: UInt64
        var epoch: UInt64
    }
    private let entries: ClockCache<String, Entry>
    let hub: InvalidationHub
    /// What one entry costs in memory, about (the hash as the key, the token's row and its user's roles).
    public static let bytesPerEntry = 1_200

    public init(hub: InvalidationHub, capacity: Int = 50_000) {
        self.hub = hub
        self.entries = ClockCache(capacity: capacity)
        hub.subscribe { [weak self] message in if message == .all { self?.entries.removeAll() } }
    }

    public var count: Int { entries.count }
    public var capacity: Int { entries.capacity }

    func lookup(_ hash: String, now: Date) -> PersonalTokenState? {
        entries.withEntry(hash) { entry in
            guard let current = entry else { return nil }
            guard current.expires > now, current.epoch == hub.epoch,
                current.tokenVersion == hub.version(of: .personalToken(current.state.token.id)),
                current.userVersion == hub.version(of: .user(current.state.token.userID))
            else {
                entry = nil
                return nil
            }
            return current.state
        }
    }

    /// Caches `state`, read after `generation` was taken, unless an invalidation came since. (The entry's keys, its
    /// token and user, are known only after the read, so the read is guarded by the hub's overall generation; the
    /// entry then depends on its own keys only.)
    func put(_ hash: String, _ state: PersonalTokenState, now: Date, readAfter generation: UInt64) {
        let ttl = hub.currentTTL
        guard ttl > 0 else { return }
        // The versions are read before the generation is compared: an invalidation moves the generation first and
        // the version after, so one that slips in after the comparison leaves the entry with an old version.
        let tokenVersion = hub.version(of: .personalToken(state.token.id))
        let userVersion = hub.version(of: .user(state.token.userID))
        let epoch = hub.epoch
        entries.withEntry(hash) { entry in
            guard hub.generation == generation else { return }
            entry = Entry(
                state: state,
                expires: now.addingTimeInterval(ttl * Double.random(in: 0.9...1.0)),
                tokenVersion: tokenVersion,
                userVersion: userVersion,
                epoch: epoch
            )
        }
    }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    func invalidate(token id: UUID) { hub.forget(.personalToken(id)) }
}
