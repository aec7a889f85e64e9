import Foundation

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
        c.encryptionKey = try reader.string("AUTH_ENCRYPTION_KEY")
        c.mfaIssuer = try reader.string("AUTH_MFA_ISSUER") ?? c.mfaIssuer
        c.encryptionKeyPrevious = (try reader.string("AUTH_ENCRYPTION_KEY_PREVIOUS") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
        c.rateLimits.verifyFailures = try reader.int(
            "AUTH_RATE_LIMIT_VERIFY_FAILURES_PER_MINUTE",
            default: c.rateLimits.verifyFailures,
            range: 1...1_000_000
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
        if let wrong = c.trustedProxies.first(where: { IPNetwork($0) == nil }) {
            throw ConfigurationError(
                variable: "AUTH_TRUSTED_PROXIES",
                message: "\(wrong) is not an IPv4 or IPv6 address or CIDR range"
            )
        }
        c.passwordBlocklistFile = try reader.string("AUTH_PASSWORD_BLOCKLIST_FILE")
        c.personalTokenMaxTTL = try reader.int(
            "AUTH_PAT_MAX_TTL",
            default: c.personalTokenMaxTTL,
            range: 60...10 * 366 * 86_400
        )
        c.personalTokenDefaultTTL = try reader.int(
            "AUTH_PAT_DEFAULT_TTL",
            default: min(c.personalTokenDefaultTTL, c.personalTokenMaxTTL),
            range: 60...c.personalTokenMaxTTL
        )
        c.personalTokenAllowNonExpiring = try reader.bool(
            "AUTH_PAT_ALLOW_NON_EXPIRING",
            default: c.personalTokenAllowNonExpiring
        )
        c.personalTokenMaxPerUser = try reader.int(
            "AUTH_PAT_MAX_PER_USER",
            default: c.personalTokenMaxPerUser,
            range: 1...10_000
        )
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
        try readMail(reader, into: &c)
        try readNetwork(reader, into: &c)
        try c.validate()
        return c
    }

    /// The box that encrypts secrets at rest, when `AUTH_ENCRYPTION_KEY` is set.
    public func secretBox() throws -> SecretBox? {
        guard let encryptionKey else {
            if !encryptionKeyPrevious.isEmpty {
                throw ConfigurationError(
                    variable: "AUTH_ENCRYPTION_KEY_PREVIOUS",
                    message: "needs AUTH_ENCRYPTION_KEY (the key to encrypt under)"
                )
            }
            return nil
        }
        return try SecretBox(key: encryptionKey, previous: encryptionKeyPrevious)
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
        _ = try secretBox()
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
