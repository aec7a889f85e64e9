import Synchronization

/// A map with a fixed number of entries that, when full, evicts one entry at a time by the CLOCK rule (second
/// chance): a hand sweeps the slots, clearing each entry's "used since" mark and taking the first unmarked one. Hot
/// entries survive, cold ones go, and the cache never empties itself at once. Sharded by key so that concurrent
/// requests rarely wait for the same lock; each shard holds `capacity / shards` entries.
///
/// Neither Foundation nor the server packages here ship a bounded concurrent cache; this one is 120 lines.
public final class ClockCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    private let shards: [ShardBox]

    public init(capacity: Int, shards shardCount: Int = 16) {
        let count = max(1, min(shardCount, capacity))
        self.capacity = max(count, capacity)
        self.shards = (0..<count).map { _ in ShardBox(capacity: max(1, capacity / count)) }
    }

    private func shard(for key: Key) -> ShardBox {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    /// The value, marked as used (it survives the next sweep).
    public func value(for key: Key) -> Value? {
        shard(for: key).lock.withLock { $0.value(for: key) }
    }

    /// Reads or changes the entry under its shard's lock: `body` gets nil when there is none, and sets nil to remove it.
    public func withEntry<R>(_ key: Key, _ body: (inout Value?) -> R) -> R {
        shard(for: key).lock.withLock { shard in
            var value = shard.value(for: key)
            let result = body(&value)
            if let value { shard.set(key, value) } else { shard.remove(key) }
            return result
        }
    }

    /// Inserts or replaces the value, evicting one cold entry if the shard is full.
    public func set(_ key: Key, _ value: Value) {
        shard(for: key).lock.withLock { $0.set(key, value) }
    }

    @discardableResult
    public func remove(_ key: Key) -> Value? {
        shard(for: key).lock.withLock { $0.remove(key) }
    }

    public func removeAll() {
        for shard in shards { shard.lock.withLock { $0.removeAll() } }
    }

    /// Entries held now (all shards; a snapshot, for metrics and tests).
    public var count: Int { shards.reduce(0) { total, shard in total + shard.lock.withLock { $0.index.count } } }

    private final class ShardBox: Sendable {
        let lock: Mutex<Shard>
        init(capacity: Int) { lock = Mutex(Shard(capacity: capacity)) }
    }

    struct Slot {
        var key: Key
        var value: Value
        var used: Bool
    }

    struct Shard {
        let capacity: Int
        var index: [Key: Int] = [:]
        var slots: [Slot?] = []
        var free: [Int] = []
        var hand = 0

        init(capacity: Int) {
            self.capacity = capacity
        }

        mutating func value(for key: Key) -> Value? {
            guard let position = index[key] else { return nil }
            slots[position]!.used = true
            return slots[position]!.value
        }

        mutating func set(_ key: Key, _ value: Value) {
            if let position = index[key] {
                slots[position] = Slot(key: key, value: value, used: true)
                return
            }
            let position: Int
            if let reused = free.popLast() {
                position = reused
            } else if slots.count < capacity {
                slots.append(nil)
                position = slots.count - 1
            } else {
                position = evictOne()
            }
            // A new entry starts unmarked: it must be used once more to outlive a sweep (scans do not flush hot entries).
            slots[position] = Slot(key: key, value: value, used: false)
            index[key] = position
        }

        /// Sweeps from the hand: marked entries lose their mark, the first unmarked one is evicted. At most two turns.
        private mutating func evictOne() -> Int {
            while true {
                let position = hand
                hand = (hand + 1) % slots.count
                guard let slot = slots[position] else { return position }
                if slot.used {
                    slots[position]!.used = false
                } else {
                    index[slot.key] = nil
                    slots[position] = nil
                    return position
                }
            }
        }

        @discardableResult
        mutating func remove(_ key: Key) -> Value? {
            guard let position = index.removeValue(forKey: key) else { return nil }
            let value = slots[position]?.value
            slots[position] = nil
            free.append(position)
            return value
        }

        mutating func removeAll() {
            index.removeAll(keepingCapacity: true)
            slots.removeAll(keepingCapacity: true)
            free.removeAll(keepingCapacity: true)
            hand = 0
        }
    }
}
