import Foundation
import JWTKit
import Logging
import Synchronization

/// Signs and verifies access tokens. Keys come from the database (shared by every instance), from a file,
/// or (HS256) from the configured secret. Verification pins the algorithm to the key named by `kid`;
/// an unknown `kid` is refused after at most one reload of the key table, never answered by another key.
public final class AccessTokenService: Sendable {
    public struct Settings: Sendable {
        public var issuer: String
        public var audience: String
        public var algorithm: AuthConfiguration.JWTAlgorithmName
        public var ttl: Int
        public var secret: String?
        public var privateKeyFile: String?
        public init(
            issuer: String,
            audience: String,
            algorithm: AuthConfiguration.JWTAlgorithmName,
            ttl: Int,
            secret: String? = nil,
            privateKeyFile: String? = nil
        ) {
            self.issuer = issuer
            self.audience = audience
            self.algorithm = algorithm
            self.ttl = ttl
            self.secret = secret
            self.privateKeyFile = privateKeyFile
        }
        public init(_ configuration: AuthConfiguration) {
            self.init(
                issuer: configuration.issuer,
                audience: configuration.audience,
                algorithm: configuration.jwtAlgorithm,
                ttl: configuration.accessTokenTTL,
                secret: configuration.jwtSecret,
                privateKeyFile: configuration.jwtPrivateKeyFile
            )
        }
    }

    struct KeyRing: Sendable {
        var byKID: [String: SigningKey] = [:]
        var active: SigningKey?
        /// A key from AUTH_JWT_PRIVATE_KEY_FILE: always the signing key.
        var pinned: SigningKey?
        var lastReload: Date = .distantPast
    }

    public let settings: Settings
    /// Tokens whose signature and claims already checked out, until they expire, by the token's SHA-256: the
    /// signature check (about 0.1 ms for ES256) is the largest cost of an authenticated request. Only the exact
    /// token can hit; session and user state are still checked on every request. Bounded, evicting the coldest.
    private let verified: ClockCache<TokenDigest, VerifiedAccessToken>
    /// What one entry costs in memory (measured; see `SessionStateCache.bytesPerEntry`).
    public static let bytesPerVerifiedToken = 200
    let store: any AuthStore
    private let clock: any AuthClock
    private let ring = Mutex(KeyRing())
    /// Encrypts private keys in the key table (`AUTH_ENCRYPTION_KEY`); nil stores them as PEM.
    let secretBox: SecretBox?
    /// How often an unknown `kid` may trigger a reload of the key table.
    private let reloadInterval: TimeInterval = 5
    /// How often an instance re-reads the key table anyway, so `authd rotate-keys` (run anywhere) makes every
    /// instance sign with the new key within this time, and retired keys leave the JWKS.
    public static let refreshInterval: TimeInterval = 60
    public static let maxTokenBytes = 8192

    public init(
        settings: Settings,
        store: any AuthStore,
        clock: any AuthClock,
        secretBox: SecretBox? = nil,
        cacheCapacity: Int = 100_000
    ) {
        self.verified = ClockCache(capacity: cacheCapacity)
        self.settings = settings
        self.store = store
        self.clock = clock
        self.secretBox = secretBox
    }

    /// Loads the keys, creating the first signing key of the configured algorithm when the database has none.
    public func start() async throws {
        if settings.algorithm == .hs256 {
            guard let secret = settings.secret else {
                throw ConfigurationError(variable: "AUTH_JWT_SECRET", message: "required for HS256")
            }
            let key = try await SigningKey.load(
                kid: SigningKey.hmacKID(for: secret),
                algorithm: .hs256,
                material: secret,
                createdAt: clock.now()
            )
            ring.withLock { $0 = KeyRing(byKID: [key.kid: key], active: key, lastReload: clock.now()) }
            return
        }
        if let file = settings.privateKeyFile {
            let material = try SigningKey.materialFromFile(file, algorithm: settings.algorithm)
            let key = try await SigningKey.load(
                kid: SigningKey.kid(for: material),
                algorithm: settings.algorithm,
                material: material,
                createdAt: clock.now()
            )
            // Keys in the database stay valid for verification (tokens signed before the switch).
            try await resealKeys()
            try await reload(pinnedActive: key)
            return
        }
        try await resealKeys()
        try await reload(pinnedActive: nil)
        if activeKey() == nil {
            _ = try await rotate()
        }
    }

    /// Adds a new signing key of the configured algorithm; older keys stay for verification.
    @discardableResult
    public func rotate() async throws -> String {
        let material = try SigningKey.generateMaterial(for: settings.algorithm)
        let kid = SecureToken.generate(byteCount: 12)
        let context = Self.sealingContext(kid: kid, algorithm: settings.algorithm.rawValue)
        let record = SigningKeyRecord(
            kid: kid,
            algorithm: settings.algorithm.rawValue,
            privateKeyPEM: try secretBox?.seal(material, context: context) ?? material,
            createdAt: clock.now()
        )
        try await store.signingKeys.insert(record)
        try await reload(pinnedActive: nil)
        return record.kid
    }

    /// Re-reads the key table. Keys retired longer than a token lifetime (plus a minute) are no longer trusted.
    public func reload(pinnedActive: SigningKey? = nil) async throws {
        let records = try await store.signingKeys.all().sorted { $0.createdAt < $1.createdAt }
        var loaded: [SigningKey] = []
        for record in records {
            guard let algorithm = AuthConfiguration.JWTAlgorithmName(rawValue: record.algorithm), algorithm != .hs256
            else { continue }
            loaded.append(
                try await SigningKey.load(
                    kid: record.kid,
                    algorithm: algorithm,
                    material: try material(of: record),
                    createdAt: record.createdAt
                )
            )
        }
        let now = clock.now()
        var keep: [String: SigningKey] = [:]
        // Retirement is per algorithm: a key is superseded by the next newer key of its own algorithm (instances
        // configured with another algorithm sign with theirs meanwhile), and verifies until every token it signed
        // has expired. The newest key of each algorithm is never retired, so no instance's signing key drops out.
        for (index, key) in loaded.enumerated() {
            if let successor = loaded[(index + 1)...].first(where: { $0.algorithm == key.algorithm }) {
                // Other instances may go on signing with it until their next refresh; then tokens live one TTL.
                let grace = TimeInterval(settings.ttl) + 2 * Self.refreshInterval
                if successor.createdAt.addingTimeInterval(grace) < now { continue }
            }
            keep[key.kid] = key
        }
        if let pinnedActive { ring.withLock { $0.pinned = pinnedActive } }
        ring.withLock { ring in
            if let pinned = ring.pinned { keep[pinned.kid] = pinned }
            ring.byKID = keep
            ring.active = ring.pinned ?? loaded.last(where: { $0.algorithm == self.settings.algorithm })
            ring.lastReload = now
        }
    }

    func activeKey() -> SigningKey? { ring.withLock { $0.active } }

    /// Re-reads the key table when the last read is older than `refreshInterval` (one caller pays; errors keep the old keys).
    func refreshIfStale() async {
        guard settings.algorithm != .hs256 else { return }
        let now = clock.now()
        let due = ring.withLock { ring -> Bool in
            guard now.timeIntervalSince(ring.lastReload) >= Self.refreshInterval else { return false }
            ring.lastReload = now
            return true
        }
        if due { try? await reload(pinnedActive: nil) }
    }

    /// Public keys for `/.well-known/jwks.json`.
    public func jwks() async -> [[String: String]] {
        await refreshIfStale()
        return publishedKeys()
    }

    func publishedKeys() -> [[String: String]] {
        ring.withLock { ring in
            ring.byKID.values.sorted { $0.createdAt > $1.createdAt }.compactMap(\.publicJWK)
        }
    }

    public func sign(
        userID: UUID,
        sessionID: UUID,
        email: String,
        roles: [String],
        permissions: [String],
        aal: Int = 1,
        amr: [String] = ["pwd"]
    ) async throws -> (token: String, claims: AccessTokenClaims) {
        await refreshIfStale()
        guard let key = activeKey() else { throw SigningKeyError.unusableKey }
        let now = Int(clock.now().timeIntervalSince1970)
        let claims = AccessTokenClaims(
            iss: settings.issuer,
            aud: settings.audience,
            sub: userID.uuidString.lowercased(),
            exp: now + settings.ttl,
            iat: now,
            nbf: now,
            jti: UUID().uuidString.lowercased(),
            sid: sessionID.uuidString.lowercased(),
            email: email,
            roles: roles,
            permissions: permissions,
            aal: aal,
            amr: amr
        )
        return (try await key.sign(claims), claims)
    }

    /// Verifies signature first, then `typ`, `iss`, `aud`, `exp`, `nbf`. Throws `AuthError.invalidToken`.
    public func verify(_ token: String) async throws -> VerifiedAccessToken {
        guard token.utf8.count <= Self.maxTokenBytes else { throw AuthError.invalidToken }
        let now = clock.now()
        let digest = TokenDigest(token)
        if let known = verified.value(for: digest) {
            guard known.isCurrent(at: now) else {
                verified.remove(digest)
                throw AuthError.invalidToken
            }
            return known
        }
        guard let checked = VerifiedAccessToken(try await verifyUncached(token)) else { throw AuthError.invalidToken }
        verified.set(digest, checked)
        return checked
    }

    public var verifiedTokensCached: Int { verified.count }
    public var verifiedTokenCapacity: Int { verified.capacity }

    private func verifyUncached(_ token: String) async throws -> AccessTokenClaims {
        // typ at+jwt, no crit extension we would have to understand (RFC 7515 §4.1.11), kid and alg present.
        guard let header = JOSEHeader(token: token), header.isAccessTokenHeader, let alg = header.alg,
            let kid = header.kid
        else { throw AuthError.invalidToken }
        guard let key = try await key(for: kid) else { throw AuthError.invalidToken }
        // The algorithm is the key's, never the header's choice.
        guard alg == key.algorithm.rawValue else { throw AuthError.invalidToken }
        let claims: AccessTokenClaims
        do {
            claims = try await key.verify(token)
        } catch {
            throw AuthError.invalidToken
        }
        guard claims.isValid(issuer: settings.issuer, audience: settings.audience, now: clock.now()) else {
            throw AuthError.invalidToken
        }
        return claims
    }

    private func key(for kid: String) async throws -> SigningKey? {
        if let key = ring.withLock({ $0.byKID[kid] }) { return key }
        // Perhaps another instance rotated keys: reload, at most once per interval.
        let now = clock.now()
        let due = ring.withLock { ring -> Bool in
            guard now.timeIntervalSince(ring.lastReload) >= reloadInterval else { return false }
            ring.lastReload = now
            return true
        }
        guard due, settings.algorithm != .hs256 else { return nil }
        try? await reload(pinnedActive: nil)
        return ring.withLock { $0.byKID[kid] }
    }
}
