import Foundation
import Synchronization

/// Authenticates service clients (HTTP Basic) with a cache, so the hot path does not read the client table each
/// time. A deleted client is dropped at once, here and (through the hub) on the other instances.
public final class ServiceClientAuthenticator: Sendable {
    struct Entry: Sendable {
        /// Nil for an id that names no client.
        var secretHash: String?
        var clientID: String
        var expires: Date
    }
    private let store: any AuthStore
    private let clock: any AuthClock
    private let hub: InvalidationHub
    private let audit: AuditLog
    /// Known and unknown ids alike, bounded: a flood of made-up ids evicts cold entries, never the whole cache.
    private let cache = ClockCache<String, Entry>(capacity: 10_000)

    public init(store: any AuthStore, clock: any AuthClock, hub: InvalidationHub, audit: AuditLog) {
        self.audit = audit
        self.store = store
        self.clock = clock
        self.hub = hub
        hub.subscribe { [weak self] message in self?.forget(message) }
    }

    private func forget(_ message: CacheInvalidation) {
        switch message {
        case .serviceClient(let id): cache.remove(id)
        case .all: cache.removeAll()
        case .session, .user, .profile, .personalToken: break
        }
    }

    /// The client's id when `secret` is its secret. The comparison of hashes is constant-time, and an unknown id
    /// costs the same (a comparison against a stand-in hash). Unknown ids are remembered for as long as known ones, so
    /// a flood of them does not read the database each time; creating a client clears that on every instance.
    /// A failure is audited (`service_client.auth_failed`).
    public func authenticate(
        clientID: String,
        secret: String,
        meta: @autoclosure () -> RequestMeta = RequestMeta()
    ) async throws -> String? {
        let presented = SecureToken.hash(secret)
        var entry: Entry?
        if !clientID.isEmpty, clientID.utf8.count <= 128, !clientID.utf8.contains(0), secret.utf8.count <= 256 {
            entry = try await lookup(clientID)
        }
        let expected = entry?.secretHash ?? Self.standIn
        if SecureToken.constantTimeEquals(presented, expected), let entry, entry.secretHash != nil {
            return entry.clientID
        }
        let event = audit.event(
            "service_client.auth_failed",
            .failure,
            meta: meta(),
            details: [
                "client_id": String(clientID.prefix(128)),
                "reason": entry?.secretHash == nil ? "unknown_client" : "wrong_secret",
            ]
        )
        await audit.recordDetached(event, in: store)
        return nil
    }

    /// A hash no secret has, compared against when the id is unknown.
    private static let standIn = SecureToken.hash(SecureToken.generate(byteCount: 32))

    private func lookup(_ clientID: String) async throws -> Entry {
        let now = clock.now()
        if let cached = cache.value(for: clientID), cached.expires > now { return cached }
        let (version, epoch) = (hub.version(of: .serviceClient(clientID)), hub.epoch)
        let client = try await store.serviceClients.find(clientID: clientID)
        let ttl = hub.currentTTL
        let entry = Entry(secretHash: client?.secretHash, clientID: clientID, expires: now.addingTimeInterval(ttl))
        if ttl > 0 {
            cache.withEntry(clientID) { cached in
                // Not if the client (or everything) was invalidated while the read ran.
                guard hub.version(of: .serviceClient(clientID)) == version, hub.epoch == epoch else { return }
                cached = entry
            }
        }
        return entry
    }

    /// Forgets here, once the change committed; the change's transaction announced it to the other instances.
    public func invalidate(clientID: String) { hub.forget(.serviceClient(clientID)) }
}
