import Foundation
import Synchronization

/// The caches of state that can be revoked (sessions and users, service clients) and how long they may trust
/// an entry. A change tells the other instances with `AuthStore.announce` inside its own transaction, and this
/// instance's caches with `forget` after the commit. While the listener is connected, another instance's
/// revocation arrives as a message, so entries may live `notifiedTTL`; without one (SQLite, or the listener
/// reconnecting), only `ttl`, which then bounds how long another instance's revocation can go unseen. Every
/// invalidation, local or received, bumps `generation`, so a database read that raced with one is not cached.
public final class InvalidationHub: Sendable {
    private let ttl: TimeInterval
    private let notifiedTTL: TimeInterval
    private let listening = Atomic<Bool>(false)
    private let counter = Atomic<UInt64>(0)
    private let receivers = Mutex<[@Sendable (CacheInvalidation) -> Void]>([])

    public init(ttl: TimeInterval, notifiedTTL: TimeInterval) {
        self.ttl = ttl
        self.notifiedTTL = notifiedTTL
    }

    /// How long an entry cached now may be served.
    public var currentTTL: TimeInterval { listening.load(ordering: .acquiring) ? notifiedTTL : ttl }

    /// Whether invalidations from other instances are arriving (the listener is connected).
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    public var generation: UInt64 { counter.load(ordering: .acquiring) }

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

    /// The generation moves before the caches forget: a read that finishes after this is refused by `put`, and one
    /// that finished before put an entry that the receivers now remove.
    private func deliver(_ message: CacheInvalidation) {
        counter.add(1, ordering: .acquiringAndReleasing)
        for receiver in receivers.withLock({ $0 }) { receiver(message) }
    }
}
