import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Verifies authd access tokens locally against authd's JWKS, with no call to authd per request.
///
/// The JWKS is fetched on first use, refetched when older than `maxAge`, and refetched when a token names a
/// `kid` it does not know (key rotation) — at most once per `minimumRefetchInterval`, so garbage tokens cannot
/// make it hammer authd. While the JWKS cannot be fetched the last keys serve for `maxStaleness` more, then
/// tokens are refused as `unavailable`. The algorithm is pinned by the key (its JWK `alg`); `typ`, `iss`, `aud`, `exp` and
/// `nbf` are checked.
///
/// Local verification cannot see revocations (logout, a disabled user, a removed role) before the token expires
/// (15 minutes by default). Use `RemoteVerifier` on routes that must see them at once.
public final class JWKSVerifier: TokenVerifier {
    public struct Settings: Sendable {
        public var jwksURL: String
        public var issuer: String
        public var audience: String
        public var maxAge: Duration
        public var minimumRefetchInterval: Duration
        /// How long past `maxAge` the last fetched keys are still used while the JWKS cannot be fetched (authd down,
        /// a network split). After that every token is refused as `unavailable`: a key authd has retired, or one an
        /// attacker got removed from the set, is not trusted forever.
        public var maxStaleness: Duration
        public init(
            jwksURL: String,
            issuer: String,
            audience: String = "authd",
            maxAge: Duration = .seconds(600),
            minimumRefetchInterval: Duration = .seconds(30),
            maxStaleness: Duration = .seconds(3600)
        ) {
            self.jwksURL = jwksURL
            self.issuer = issuer
            self.audience = audience
            self.maxAge = maxAge
            self.minimumRefetchInterval = minimumRefetchInterval
            self.maxStaleness = maxStaleness
        }
        /// authd at `baseURL`, whose issuer is that URL (the default configuration).
        public init(authdURL baseURL: String, issuer: String? = nil, audience: String = "authd") {
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.init(jwksURL: base + "/.well-known/jwks.json", issuer: issuer ?? base, audience: audience)
        }
    }

    struct Key: Sendable {
        let algorithm: String
        let keys: JWTKeyCollection
    }

    actor KeyCache {
        var keys: [String: Key] = [:]
        var fetchedAt: ContinuousClock.Instant?
        var lastAttempt: ContinuousClock.Instant?
        var inFlight: Task<Void, any Error>?

        func snapshot() -> ([String: Key], ContinuousClock.Instant?, ContinuousClock.Instant?) {
            (keys, fetchedAt, lastAttempt)
        }

        /// One fetch at a time; concurrent callers wait for the same one.
        func refresh(_ fetch: @escaping @Sendable () async throws -> [String: Key]) async throws {
            if let inFlight { return try await inFlight.value }
            let task = Task { () async throws -> Void in
                let fetched = try await fetch()
                self.store(fetched)
            }
            inFlight = task
            lastAttempt = .now
            defer { inFlight = nil }
            try await task.value
        }

        func store(_ fetched: [String: Key]) {
            keys = fetched
            fetchedAt = .now
        }
    }

    public let settings: Settings
    private let httpClient: HTTPClient
    private let cache = KeyCache()
    private let now: @Sendable () -> Date

    public init(settings: Settings, httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() })
    {
        self.settings = settings
        self.httpClient = httpClient
        self.now = now
    }

    public func verify(_ token: String) async throws -> VerifiedToken {
        guard token.utf8.count <= 8192, let header = JOSEHeader(token: token), header.isAccessTokenHeader,
            let kid = header.kid, let alg = header.alg
        else { throw AuthClientError.invalidToken }
        guard let key = try await key(kid) else { throw AuthClientError.invalidToken }
        // The key decides the algorithm: `none`, or HS256 keyed with a public key, never get here.
        guard key.algorithm == alg else { throw AuthClientError.invalidToken }
        let claims: AccessTokenClaims
        do {
            claims = try await key.keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw AuthClientError.invalidToken
        }
        guard claims.isValid(issuer: settings.issuer, audience: settings.audience, now: now()) else {
            throw AuthClientError.invalidToken
        }
        return VerifiedToken(
            subject: claims.sub,
            email: claims.email,
            roles: claims.roles,
            permissions: claims.permissions,
            sessionID: claims.sid,
            expiresAt: claims.exp,
            source: .local,
            aal: claims.aal ?? 1,
            amr: claims.amr ?? []
        )
    }

    private func key(_ kid: String) async throws -> Key? {
        let (keys, fetchedAt, lastAttempt) = await cache.snapshot()
        let stale = fetchedAt.map { ContinuousClock.now - $0 > settings.maxAge } ?? true
        if let key = keys[kid], !stale { return key }
        // Unknown kid or stale set: refetch, unless we did so very recently.
        let mayFetch = lastAttempt.map { ContinuousClock.now - $0 >= settings.minimumRefetchInterval } ?? true
        if mayFetch || fetchedAt == nil {
            do {
                try await cache.refresh { try await self.fetch() }
            } catch {
                if keys.isEmpty { throw AuthClientError.unavailable("JWKS fetch failed") }
            }
        }
        let (current, currentFetchedAt, _) = await cache.snapshot()
        if let currentFetchedAt, ContinuousClock.now - currentFetchedAt > settings.maxAge + settings.maxStaleness {
            throw AuthClientError.unavailable("JWKS stale")
        }
        return current[kid]
    }

    private func fetch() async throws -> [String: Key] {
        var request = HTTPClientRequest(url: settings.jwksURL)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw AuthClientError.unavailable("JWKS answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: 1 << 20)
        let jwks = try JSONDecoder().decode(JWKS.self, from: Data(buffer: body))
        var keys: [String: Key] = [:]
        for jwk in jwks.keys {
            // Only keys that name their algorithm and id are used: the algorithm is pinned per key.
            guard let kid = jwk.keyIdentifier?.string, let alg = jwk.algorithm?.rawValue, alg != "HS256" else {
                continue
            }
            let collection = JWTKeyCollection()
            try await collection.add(jwk: jwk)
            keys[kid] = Key(algorithm: alg, keys: collection)
        }
        return keys
    }
}
