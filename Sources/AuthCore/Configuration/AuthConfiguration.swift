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
    public var stateCacheNotifiedTTLMilliseconds: Int = 30_000

    public struct RateLimits: Sendable, Equatable {
        /// Requests per minute per client IP for each limited route.
        public var login = 30
        public var register = 10
        public var refresh = 60
        public var other = 120
        /// Requests per minute per service client on /auth/verify.
        public var verifyPerClient = 60_000
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
        return c
    }
}

/// Printing a configuration (as ServiceLifecycle does when it logs its services) never shows a secret.
extension AuthConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let db: String
        switch database {
        case .sqlite(let path): db = "sqlite://\(path)"
        case .sqliteMemory: db = "sqlite::memory:"
        case .postgres: db = "postgres://[redacted]"
        }
        return
            "AuthConfiguration(database: \(db), issuer: \(issuer), audience: \(audience), algorithm: \(jwtAlgorithm.rawValue), "
            + "bcrypt_cost: \(bcryptCost), secrets: [redacted])"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let variable: String
    public let message: String
    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }
    public var description: String { "configuration error: \(variable): \(message)" }
}

extension AuthConfiguration {
    /// Reads the environment. `NAME_FILE` may stand for any secret `NAME` (Docker secrets).
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AuthConfiguration {
        let reader = EnvironmentReader(env: env)
        var c = AuthConfiguration()
        if let url = try reader.string("DATABASE_URL") {
            c.database = try parseDatabaseURL(url)
        }
        c.databasePoolSize = try reader.int("DATABASE_POOL_SIZE", default: c.databasePoolSize, range: 1...500)
        c.eventLoopThreads = try reader.int("AUTH_EVENT_LOOP_THREADS", default: c.eventLoopThreads, range: 1...1024)
        c.autoMigrate = try reader.bool("AUTH_AUTO_MIGRATE", default: c.autoMigrate)
        c.hostname = try reader.string("AUTH_HOSTNAME") ?? c.hostname
        c.port = try reader.int("AUTH_PORT", default: c.port, range: 0...65535)
        c.issuer = try reader.string("AUTH_ISSUER") ?? c.issuer
        c.audience = try reader.string("AUTH_AUDIENCE") ?? c.audience
        if let alg = try reader.string("AUTH_JWT_ALGORITHM") {
            guard let parsed = JWTAlgorithmName(rawValue: alg) else {
                throw ConfigurationError(
                    variable: "AUTH_JWT_ALGORITHM",
                    message: "must be one of ES256, EdDSA, RS256, HS256"
                )
            }
            c.jwtAlgorithm = parsed
        }
        c.jwtSecret = try reader.string("AUTH_JWT_SECRET")
        c.jwtPrivateKeyFile = try reader.string("AUTH_JWT_PRIVATE_KEY_FILE")
        c.accessTokenTTL = try reader.int("AUTH_ACCESS_TOKEN_TTL", default: c.accessTokenTTL, range: 1...86_400)
        c.refreshTokenTTL = try reader.int("AUTH_REFRESH_TOKEN_TTL", default: c.refreshTokenTTL, range: 60...31_536_000)
        c.sessionIdleTimeout = try reader.int(
            "AUTH_SESSION_IDLE_TIMEOUT",
            default: c.sessionIdleTimeout,
            range: 60...31_536_000
        )
        c.refreshReuseGrace = try reader.int(
            "AUTH_REFRESH_REUSE_GRACE_SECONDS",
            default: c.refreshReuseGrace,
            range: 0...300
        )
        c.bcryptCost = try reader.int("AUTH_BCRYPT_COST", default: c.bcryptCost, range: 4...31)
        c.bootstrapAdminEmail = try reader.string("AUTH_BOOTSTRAP_ADMIN_EMAIL")
        c.bootstrapAdminPassword = try reader.string("AUTH_BOOTSTRAP_ADMIN_PASSWORD")
        c.rateLimitEnabled = try reader.bool("AUTH_RATE_LIMIT_ENABLED", default: c.rateLimitEnabled)
        c.rateLimits.login = try reader.int(
            "AUTH_RATE_LIMIT_LOGIN_PER_MINUTE",
            default: c.rateLimits.login,
            range: 1...1_000_000
        )
        c.rateLimits.register = try reader.int(
            "AUTH_RATE_LIMIT_REGISTER_PER_MINUTE",
            default: c.rateLimits.register,
            range: 1...1_000_000
        )
        c.rateLimits.refresh = try reader.int(
            "AUTH_RATE_LIMIT_REFRESH_PER_MINUTE",
            default: c.rateLimits.refresh,
            range: 1...1_000_000
        )
        c.rateLimits.other = try reader.int(
            "AUTH_RATE_LIMIT_OTHER_PER_MINUTE",
            default: c.rateLimits.other,
            range: 1...1_000_000
        )
        c.rateLimits.verifyPerClient = try reader.int(
            "AUTH_RATE_LIMIT_VERIFY_PER_MINUTE",
            default: c.rateLimits.verifyPerClient,
            range: 1...100_000_000
        )
        c.loginMaxFailures = try reader.int(
            "AUTH_LOGIN_MAX_FAILURES",
            default: c.loginMaxFailures,
            range: 1...1_000_000
        )
        c.loginLockoutSeconds = try reader.int(
            "AUTH_LOGIN_LOCKOUT_SECONDS",
            default: c.loginLockoutSeconds,
            range: 1...86_400 * 30
        )
        if let proxies = try reader.string("AUTH_TRUSTED_PROXIES") {
            c.trustedProxies = proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        c.passwordBlocklistFile = try reader.string("AUTH_PASSWORD_BLOCKLIST_FILE")
        c.auditRetentionDays = try reader.int(
            "AUTH_AUDIT_RETENTION_DAYS",
            default: c.auditRetentionDays,
            range: 1...36_500
        )
        if let origins = try reader.string("AUTH_CORS_ORIGINS") {
            c.corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        if let level = try reader.string("LOG_LEVEL") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw ConfigurationError(
                    variable: "LOG_LEVEL",
                    message: "must be one of \(levels.joined(separator: ", "))"
                )
            }
            c.logLevel = level.lowercased()
        }
        if let format = try reader.string("LOG_FORMAT") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError(variable: "LOG_FORMAT", message: "must be text or json")
            }
            c.logFormat = parsed
        }
        c.stateCacheTTLMilliseconds = try reader.int(
            "AUTH_STATE_CACHE_TTL_MS",
            default: c.stateCacheTTLMilliseconds,
            range: 0...1000
        )
        c.stateCacheNotifiedTTLMilliseconds = try reader.int(
            "AUTH_STATE_CACHE_NOTIFIED_TTL_MS",
            default: c.stateCacheNotifiedTTLMilliseconds,
            range: 0...300_000
        )
        try c.validate()
        return c
    }

    /// Checks that the settings fit together.
    public func validate() throws {
        if jwtAlgorithm == .hs256 {
            guard let secret = jwtSecret, secret.utf8.count >= 32 else {
                throw ConfigurationError(
                    variable: "AUTH_JWT_SECRET",
                    message: "HS256 needs a secret of at least 32 bytes"
                )
            }
        }
        if (bootstrapAdminEmail == nil) != (bootstrapAdminPassword == nil) {
            throw ConfigurationError(
                variable: bootstrapAdminEmail == nil ? "AUTH_BOOTSTRAP_ADMIN_EMAIL" : "AUTH_BOOTSTRAP_ADMIN_PASSWORD",
                message: "AUTH_BOOTSTRAP_ADMIN_EMAIL and AUTH_BOOTSTRAP_ADMIN_PASSWORD go together"
            )
        }
        guard let issuerURL = URL(string: issuer), issuerURL.scheme != nil else {
            throw ConfigurationError(variable: "AUTH_ISSUER", message: "must be an absolute URL")
        }
        if audience.isEmpty {
            throw ConfigurationError(variable: "AUTH_AUDIENCE", message: "must not be empty")
        }
    }

    public static func parseDatabaseURL(_ url: String) throws -> Database {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" { return .sqliteMemory }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    message: "sqlite:// needs a file path, e.g. sqlite://./data/auth.sqlite"
                )
            }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
                components.path.count > 1
            else {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    message: "expected postgres://user:password@host:5432/database"
                )
            }
            return .postgres(url: url)
        }
        throw ConfigurationError(
            variable: "DATABASE_URL",
            message: "unsupported scheme; use sqlite://PATH or postgres://user:password@host:port/database"
        )
    }
}

/// Reads typed values from the environment, naming the variable in every error.
struct EnvironmentReader {
    let env: [String: String]

    /// `NAME_FILE`, when set, wins over `NAME` (an image's default must not shadow a mounted secret).
    func string(_ name: String) throws -> String? {
        if let file = env[name + "_FILE"], !file.isEmpty {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ConfigurationError(variable: name + "_FILE", message: "cannot read \(file)")
            }
        }
        if let value = env[name], !value.isEmpty { return value }
        return nil
    }

    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try string(name) else { return value }
        guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(variable: name, message: "expected a whole number, got \"\(text.prefix(40))\"")
        }
        guard range.contains(parsed) else {
            throw ConfigurationError(
                variable: name,
                message: "must be between \(range.lowerBound) and \(range.upperBound), got \(parsed)"
            )
        }
        return parsed
    }

    func bool(_ name: String, default value: Bool) throws -> Bool {
        guard let text = try string(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, message: "expected true or false, got \"\(text.prefix(40))\"")
        }
    }
}
