import Foundation

/// Every setting authd reads, parsed and validated once at start.
public struct AuthConfiguration: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public enum JWTAlgorithmName: String, Sendable, CaseIterable {
        case es256 = "ES256"
        case eddsa = "EdDSA"
        case rs256 = "RS256"
        case hs256 = "HS256"
    }

    public enum LogFormat: String, Sendable { case text, json }

    public var database: Database = .sqlite(path: "./data/auth.sqlite")
    public var databasePoolSize: Int = 10
    /// `AUTH_SQLITE_WAIT_SECONDS`: how long a statement may wait for SQLite's one connection before the request is
    /// refused as `serviceUnavailable` (PostgreSQL: `postgresPoolWaitSeconds`).
    public var sqliteWaitSeconds: Int = 10
    /// `AUTH_POSTGRES_POOL_WAIT_SECONDS`: how long a request may wait for a PostgreSQL pool connection before it is
    /// refused as `serviceUnavailable`.
    public var postgresPoolWaitSeconds: Int = 5
    /// NIO event loop threads (HTTP parsing and socket I/O; handlers run on Swift's cooperative pool, one thread a
    /// core). Half the cores: on two cores one loop gave `/auth/verify` 7% more throughput and a p99 of 13–15 ms
    /// instead of 18–30 ms, since fewer threads contend for the cores (bench/run, README).
    public var eventLoopThreads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    public var autoMigrate: Bool = true
    public var hostname: String = "0.0.0.0"
    public var port: Int = 8080
    public var issuer: String = "http://localhost:8080"
    public var audience: String = "authd"
    public var jwtAlgorithm: JWTAlgorithmName = .es256
    public var jwtSecret: String?
    /// `AUTH_ENCRYPTION_KEY`: 32 bytes (base64 or hex) that encrypt signing private keys at rest (AES-256-GCM).
    public var encryptionKey: String?
    /// The issuer authenticator apps show next to the account (`AUTH_MFA_ISSUER`).
    public var mfaIssuer: String = "authd"
    /// Personal access tokens: the lifetime when a request names none, the longest allowed (seconds), whether a token
    /// may never expire, and how many usable tokens a user may hold.
    public var personalTokenDefaultTTL: Int = 90 * 86_400
    public var personalTokenMaxTTL: Int = 366 * 86_400
    public var personalTokenAllowNonExpiring: Bool = false
    public var personalTokenMaxPerUser: Int = 100
    /// `AUTH_ENCRYPTION_KEY_PREVIOUS`: keys that still decrypt during a rotation (comma-separated).
    public var encryptionKeyPrevious: [String] = []
    public var jwtPrivateKeyFile: String?
    public var accessTokenTTL: Int = 900
    public var refreshTokenTTL: Int = 2_592_000
    public var sessionIdleTimeout: Int = 604_800
    public var refreshReuseGrace: Int = 10
    public var bcryptCost: Int = 12
    public var bootstrapAdminEmail: String?
    public var bootstrapAdminPassword: String?
    public var rateLimitEnabled: Bool = true
    public var rateLimits: RateLimits = RateLimits()
    public var loginMaxFailures: Int = 5
    public var loginLockoutSeconds: Int = 900
    public var trustedProxies: [String] = []
    public var mail: MailSettings = MailSettings()
    public var network: NetworkSettings = NetworkSettings()
    /// `AUTH_CONSOLE_IDLE_TIMEOUT`: the console signs out after this many seconds without a request.
    public var consoleIdleTimeout: Int = 1_800
    public var passwordBlocklistFile: String?
    public var auditRetentionDays: Int = 365
    public var corsOrigins: [String] = []
    public var logLevel: String = "info"
    public var logFormat: LogFormat = .text
    /// How long an instance may serve session and user state from its cache before re-reading the
    /// database. Revocations made on this instance invalidate at once; this bounds other instances.
    public var stateCacheTTLMilliseconds: Int = 500
    /// The same while invalidations from other instances arrive (PostgreSQL LISTEN/NOTIFY connected): revocations
    /// then reach every instance as messages, and this only bounds the damage of a lost one.
    public var stateCacheNotifiedTTLMilliseconds: Int = 300_000
    /// `AUTH_CACHE_MEMORY_MB`: what the in-memory caches (verified tokens, session state, `/auth/me` profiles,
    /// personal access tokens) may hold together, about; each gets a share and evicts its coldest entries past it.
    public var cacheMemoryMegabytes: Int = 256
    /// `AUTH_HASH_QUEUE_MAX_WAIT_MS`: a request that would wait longer than this for bcrypt is refused at once as
    /// `overloaded` (admission control); 0 turns it off.
    public var hashQueueMaxWaitMilliseconds: Int = 2_000
    /// `AUTH_HASH_THREADS`: threads that run bcrypt; 0 (the default) picks `BcryptPasswordHasher.defaultThreads`.
    public var hashThreads: Int = 0

    public struct RateLimits: Sendable, Equatable {
        /// Requests per minute per client IP for each limited route.
        public var login = 30
        public var register = 10
        public var refresh = 60
        public var other = 120
        /// Requests per minute per service client on /auth/verify.
        public var verifyPerClient = 60_000
        /// Failed service-client authentications at `/auth/verify` per client IP.
        public var verifyFailures = 30
        /// Requests per minute per client IP on the routes that send mail (forgot, verification requests).
        public var mail = 10
        public init() {}
    }

    public init() {}

    /// A configuration suited to tests: in-memory SQLite, the lowest bcrypt cost, no per-IP limits.
    public static func testing() -> AuthConfiguration {
        var c = AuthConfiguration()
        c.database = .sqliteMemory
        c.bcryptCost = 4
        c.rateLimitEnabled = false
        c.loginMaxFailures = 1000
        // A loaded or slow test machine must not turn a queue for the one SQLite connection into refusals.
        c.sqliteWaitSeconds = 120
        c.postgresPoolWaitSeconds = 120
        c.mail.url = "log"
        c.mail.forgotResponseMilliseconds = 0
        c.mail.perAddressPerMinute = 1_000
        c.mail.perAddressPerHour = 1_000
        return c
    }
}
