import Foundation

/// What `ProfileCache` and `PersonalTokenCache` share: a bounded `ClockCache` of values that each depend on two
/// invalidation keys. An entry keeps the hub's versions of its two keys and the epoch as they were before its value
/// was read; a lookup that finds any of them moved treats the entry as absent. `.all` empties it.
final class VersionStampedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The versions of an entry's two keys and the epoch, taken before its value is read.
    struct Stamp: Sendable, Equatable {
        let first: UInt64
        let second: UInt64
        let epoch: UInt64
    }

    private struct Entry: Sendable {
        var value: Value
        var expires: Date
        var stamp: Stamp
    }

    private let entries: ClockCache<Key, Entry>
    let hub: InvalidationHub
    /// The two invalidation keys a value depends on.
    private let dependencies: @Sendable (Value) -> (CacheInvalidation, CacheInvalidation)

    init(
        hub: InvalidationHub,
        capacity: Int,
        dependencies: @escaping @Sendable (Value) -> (CacheInvalidation, CacheInvalidation)
    ) {
        self.hub = hub
        self.entries = ClockCache(capacity: capacity)
        self.dependencies = dependencies
        hub.subscribe { [weak self] message in if message == .all { self?.entries.removeAll() } }
    }

    var count: Int { entries.count }
    var capacity: Int { entries.capacity }

    func stamp(_ keys: (CacheInvalidation, CacheInvalidation)) -> Stamp {
        Stamp(first: hub.version(of: keys.0), second: hub.version(of: keys.1), epoch: hub.epoch)
    }

    func lookup(_ key: Key, now: Date) -> Value? {
        entries.withEntry(key) { entry in
            guard let current = entry else { return nil }
            guard current.expires > now, current.stamp == stamp(dependencies(current.value)) else {
                entry = nil
                return nil
            }
            return current.value
        }
    }

    /// Caches `value` under `stamp` (taken before the value was read) when `stillCurrent()` holds; it is asked under
    /// the entry's lock, so an invalidation either lands before it and stops the put, or after it and moves a version.
    func put(_ key: Key, _ value: Value, now: Date, stamp: Stamp, stillCurrent: () -> Bool) {
        let ttl = hub.currentTTL
        guard ttl > 0 else { return }
        entries.withEntry(key) { entry in
            guard stillCurrent() else { return }
            entry = Entry(
                value: value,
                expires: now.addingTimeInterval(ttl * Double.random(in: 0.9...1.0)),
                stamp: stamp
            )
        }
    }
}
