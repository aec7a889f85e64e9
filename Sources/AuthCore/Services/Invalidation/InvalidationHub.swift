import Foundation
import Synchronization

/// The caches of state that can be revoked (sessions and users, personal access tokens, service clients) and how
/// long they may trust an entry. A change tells the other instances with `AuthStore.announce` inside its own
/// transaction, and this instance's caches with `forget` after the commit. While invalidations from the other
/// instances arrive (PostgreSQL LISTEN/NOTIFY, or the SQLite invalidation log being polled), entries may live
/// `notifiedTTL`; otherwise only `ttl`, which then bounds how long another instance's revocation can go unseen.
///
/// Races are detected per entry, not globally: every invalidation bumps the version of its key's stripe (one of
/// 4,096 counters, chosen by the key), and `.all` bumps `epoch`. A cache reads the versions of the keys an entry
/// depends on before its database read and stores the entry only if none moved, so a read that raced a revocation
/// of that entry is not cached, while revocations of other entries (logout traffic) leave the hit rate alone.
public final class InvalidationHub: Sendable {
    private let ttl: TimeInterval
    private let notifiedTTL: TimeInterval
    private let listening = Atomic<Bool>(false)
    private let counter = Atomic<UInt64>(0)
    private let allEpoch = Atomic<UInt64>(0)
    private let stripes: [Stripe]
    private let receivers = Mutex<[@Sendable (CacheInvalidation) -> Void]>([])
    static let stripeCount = 4096

    private final class Stripe: Sendable {
        let version = Atomic<UInt64>(0)
    }

    public init(ttl: TimeInterval, notifiedTTL: TimeInterval) {
        self.ttl = ttl
        self.notifiedTTL = notifiedTTL
        self.stripes = (0..<Self.stripeCount).map { _ in Stripe() }
    }

    /// How long an entry cached now may be served.
    public var currentTTL: TimeInterval { listening.load(ordering: .acquiring) ? notifiedTTL : ttl }

    /// Whether invalidations from other instances are arriving (the listener is connected).
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Moves with every invalidation: for a cache that cannot name the keys of an entry before reading it.
    public var generation: UInt64 { counter.load(ordering: .acquiring) }

    /// Moves with `.all` (a role changed, the listener connected or dropped).
    public var epoch: UInt64 { allEpoch.load(ordering: .acquiring) }

    /// The version of the stripe that `key` falls in; moves whenever `key` (or another key of its stripe) is invalidated.
    public func version(of key: CacheInvalidation) -> UInt64 {
        guard let stripe = Self.stripe(of: key) else { return epoch }
        return stripes[stripe].version.load(ordering: .acquiring)
    }

    static func stripe(of key: CacheInvalidation) -> Int? {
        func mix(_ id: UUID, _ kind: UInt64) -> Int {
            let u = id.uuid
            var x = kind &* 0x9E37_79B9_7F4A_7C15
            x ^=
                UInt64(u.0) | UInt64(u.1) << 8 | UInt64(u.2) << 16 | UInt64(u.3) << 24 | UInt64(u.4) << 32
                | UInt64(u.5) << 40 | UInt64(u.6) << 48 | UInt64(u.7) << 56
            x ^= UInt64(u.8) | UInt64(u.9) << 8 | UInt64(u.10) << 16 | UInt64(u.11) << 24
            x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: (x ^ (x >> 29)) % UInt64(stripeCount))
        }
        switch key {
        case .session(let id): return mix(id, 1)
        case .user(let id): return mix(id, 2)
        case .personalToken(let id): return mix(id, 3)
        case .profile(let id): return mix(id, 4)
        case .serviceClient(let id): return Int(UInt(bitPattern: id.hashValue) % UInt(stripeCount))
        case .all: return nil
        }
    }

    func subscribe(_ receiver: @escaping @Sendable (CacheInvalidation) -> Void) {
        receivers.withLock { $0.append(receiver) }
    }

    /// Forgets here, after the change committed (the other instances were told by `AuthStore.announce` inside it).
    func forget(_ message: CacheInvalidation) {
        deliver(message)
    }

    /// A message from another instance (or our own, echoed back: forgetting twice is harmless).
    public func received(_ message: CacheInvalidation) { deliver(message) }

    /// The listener connected or lost its connection. Either way everything cached is dropped: messages may have
    /// been missed, and entries cached before may carry the other TTL.
    public func listenerChanged(connected: Bool) {
        listening.store(connected, ordering: .releasing)
        deliver(.all)
    }

    /// Versions move before the caches forget: a read that finishes after this is refused by the cache's `put`, and
    /// one that finished before put an entry that the receivers now remove (or that no longer matches its versions).
    private func deliver(_ message: CacheInvalidation) {
        counter.add(1, ordering: .acquiringAndReleasing)
        if let stripe = Self.stripe(of: message) {
            stripes[stripe].version.add(1, ordering: .acquiringAndReleasing)
        } else {
            allEpoch.add(1, ordering: .acquiringAndReleasing)
        }
        for receiver in receivers.withLock({ $0 }) { receiver(message) }
    }
}
