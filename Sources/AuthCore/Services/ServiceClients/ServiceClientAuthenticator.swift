import Foundation
import Synchronization

/// Authenticates service clients (HTTP Basic) with a cache, so the hot path does not read the client table each
/// time. A deleted client is dropped at once, here and (through the hub) on the other instances.
public final class ServiceClientAuthenticator: Sendable {
    struct Entry: Sendable {
        var secretHash: String
        var clientID: String
        var expires: Date
    }
    private let store: any AuthStore
    private let clock: any AuthClock
    private let hub: InvalidationHub
    private let cache = Mutex<[String: Entry]>([:])

    public init(store: any AuthStore, clock: any AuthClock, hub: InvalidationHub) {
        self.store = store
        self.clock = clock
        self.hub = hub
        hub.subscribe { [weak self] message in self?.forget(message) }
    }

    private func forget(_ message: CacheInvalidation) {
        switch message {
        case .serviceClient(let id): _ = cache.withLock { $0.removeValue(forKey: id) }
        case .all: cache.withLock { $0.removeAll() }
        case .session, .user: break
        }
    }

    /// The client's id when `secret` is its secret. The comparison of hashes is constant-time.
    public func authenticate(clientID: String, secret: String) async throws -> String? {
        guard !clientID.isEmpty, clientID.utf8.count <= 128, !clientID.utf8.contains(0), secret.utf8.count <= 256 else {
            return nil
        }
        let presented = SecureToken.hash(secret)
        let now = clock.now()
        let cached = cache.withLock { cache -> Entry? in
            guard let entry = cache[clientID], entry.expires > now else { return nil }
            return entry
        }
        let entry: Entry
        if let cached {
            entry = cached
        } else {
            let generation = hub.generation
            guard let client = try await store.serviceClients.find(clientID: clientID) else { return nil }
            let ttl = hub.currentTTL
            entry = Entry(
                secretHash: client.secretHash,
                clientID: client.clientID,
                expires: now.addingTimeInterval(ttl)
            )
            if ttl > 0 {
                cache.withLock { cache in
                    guard hub.generation == generation else { return }
                    if cache.count > 10_000 { cache.removeAll() }
                    cache[clientID] = entry
                }
            }
        }
        return SecureToken.constantTimeEquals(presented, entry.secretHash) ? entry.clientID : nil
    }

    public func invalidate(clientID: String) async { await hub.publish(.serviceClient(clientID)) }
}
