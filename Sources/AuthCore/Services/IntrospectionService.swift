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
        guard !clientID.isEmpty, clientID.utf8.count <= 128, secret.utf8.count <= 256 else { return nil }
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
            entry = Entry(secretHash: client.secretHash, clientID: client.clientID, expires: now.addingTimeInterval(ttl))
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

/// RFC 7662 shaped answers for `/auth/verify`.
public struct Introspection: Sendable, Equatable {
    public var active: Bool
    public var claims: AccessTokenClaims?
    /// The user's email now (it may have changed since the token was issued).
    public var email: String = ""
    public var roles: [String]
    public var permissions: [String]
    public var allowed: Bool
    public static let inactive = Introspection(active: false, claims: nil, roles: [], permissions: [], allowed: false)
}

public final class IntrospectionService: Sendable {
    let accounts: AccountService
    public init(accounts: AccountService) { self.accounts = accounts }

    /// Anything that is not a live access token of an active user is simply inactive.
    public func introspect(token: String, requiredPermissions: [String]) async throws -> Introspection {
        let principal: Principal
        do {
            principal = try await accounts.authenticate(accessToken: token)
        } catch let error as AuthError where error == .invalidToken {
            return .inactive
        }
        return Introspection(active: true, claims: principal.claims, email: principal.email, roles: principal.roles,
                             permissions: principal.permissions, allowed: Permission.grantsAll(principal.permissions, requiredPermissions))
    }
}
