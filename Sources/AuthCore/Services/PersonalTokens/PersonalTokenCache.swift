import Foundation

/// Personal access token state by secret hash, so a busy token is not a database read per request. Invalidated like
/// session state: a revoked token, a changed user (disabled, deleted, roles) or a changed role, here at once and on
/// the other instances through the `InvalidationHub`. Bounded like it (`ClockCache`), and invalidated lazily: an entry
/// remembers the versions of its token and user, and a lookup that finds either moved treats it as absent.
public final class PersonalTokenCache: Sendable {
    private let entries: VersionStampedCache<String, PersonalTokenState>
    let hub: InvalidationHub
    /// What one entry costs in memory, about (the hash as the key, the token's row and its user's roles).
    public static let bytesPerEntry = 1_200

    public init(hub: InvalidationHub, capacity: Int = 50_000) {
        self.hub = hub
        self.entries = VersionStampedCache(hub: hub, capacity: capacity) { Self.dependencies(of: $0) }
    }

    public var count: Int { entries.count }
    public var capacity: Int { entries.capacity }

    private static func dependencies(of state: PersonalTokenState) -> (CacheInvalidation, CacheInvalidation) {
        (.personalToken(state.token.id), .user(state.token.userID))
    }

    func lookup(_ hash: String, now: Date) -> PersonalTokenState? {
        entries.lookup(hash, now: now)
    }

    /// Caches `state`, read after `generation` was taken, unless an invalidation came since. (The entry's keys, its
    /// token and user, are known only after the read, so the read is guarded by the hub's overall generation; the
    /// entry then depends on its own keys only.)
    func put(_ hash: String, _ state: PersonalTokenState, now: Date, readAfter generation: UInt64) {
        // The versions are read before the generation is compared: an invalidation moves the generation first and
        // the version after, so one that slips in after the comparison leaves the entry with an old version.
        let stamp = entries.stamp(Self.dependencies(of: state))
        entries.put(hash, state, now: now, stamp: stamp) { hub.generation == generation }
    }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    func invalidate(token id: UUID) { hub.forget(.personalToken(id)) }
}
