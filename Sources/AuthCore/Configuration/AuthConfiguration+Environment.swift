import Foundation

extension AuthConfiguration {
    /// Reads the environment. `NAME_FILE` may stand for any secret `NAME` (Docker secrets). Throws the first problem
    /// (`check` lists them all).
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AuthConfiguration {
        try read(EnvironmentReader(env: env))
    }

    /// Reads every setting through `reader`, which throws the first problem or collects them all.
    static func read(_ reader: EnvironmentReader) throws -> AuthConfiguration {
        var c = AuthConfiguration()
        let url = try reader.string("DATABASE_URL", default: "sqlite://./data/auth.sqlite")
        do {
            c.database = try parseDatabaseURL(url)
        } catch let error as ConfigurationError {
            try reader.report(error)
        }
        c.databasePoolSize = try reader.int("DATABASE_POOL_SIZE", default: c.databasePoolSize, range: 1...500)
        c.sqliteWaitSeconds = try reader.int("AUTH_SQLITE_WAIT_SECONDS", default: c.sqliteWaitSeconds, range: 1...600)
        c.eventLoopThreads = try reader.int("AUTH_EVENT_LOOP_THREADS", default: c.eventLoopThreads, range: 1...1024)
        c.autoMigrate = try reader.bool("AUTH_AUTO_MIGRATE", default: c.autoMigrate)
        c.hostname = try reader.string("AUTH_HOSTNAME", default: c.hostname)
        c.port = try reader.int("AUTH_PORT", default: c.port, range: 0...65535)
        c.issuer = try reader.string("AUTH_ISSUER", default: c.issuer)
        c.audience = try reader.string("AUTH_AUDIENCE", default: c.audience)
        let alg = try reader.string("AUTH_JWT_ALGORITHM", default: c.jwtAlgorithm.rawValue)
        if let parsed = JWTAlgorithmName(rawValue: alg) {
            c.jwtAlgorithm = parsed
        } else {
            try reader.report(
                ConfigurationError(variable: "AUTH_JWT_ALGORITHM", message: "must be one of ES256, EdDSA, RS256, HS256")
            )
        }
        c.jwtSecret = try reader.string("AUTH_JWT_SECRET")
        c.encryptionKey = try reader.string("AUTH_ENCRYPTION_KEY")
        c.mfaIssuer = try reader.string("AUTH_MFA_ISSUER", default: c.mfaIssuer)
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
            try reader.report(
                ConfigurationError(
                    variable: "AUTH_TRUSTED_PROXIES",
                    message: "\(wrong) is not an IPv4 or IPv6 address or CIDR range"
                )
            )
            c.trustedProxies = []
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
        let level = try reader.string("LOG_LEVEL", default: c.logLevel)
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if levels.contains(level.lowercased()) {
            c.logLevel = level.lowercased()
        } else {
            try reader.report(
                ConfigurationError(variable: "LOG_LEVEL", message: "must be one of \(levels.joined(separator: ", "))")
            )
        }
        let format = try reader.string("LOG_FORMAT", default: c.logFormat.rawValue)
        if let parsed = LogFormat(rawValue: format.lowercased()) {
            c.logFormat = parsed
        } else {
            try reader.report(ConfigurationError(variable: "LOG_FORMAT", message: "must be text or json"))
        }
        c.stateCacheTTLMilliseconds = try reader.int(
            "AUTH_STATE_CACHE_TTL_MS",
            default: c.stateCacheTTLMilliseconds,
            range: 0...1000
        )
        c.stateCacheNotifiedTTLMilliseconds = try reader.int(
            "AUTH_STATE_CACHE_NOTIFIED_TTL_MS",
            default: c.stateCacheNotifiedTTLMilliseconds,
            range: 0...3_600_000
        )
        c.cacheMemoryMegabytes = try reader.int(
            "AUTH_CACHE_MEMORY_MB",
            default: c.cacheMemoryMegabytes,
            range: 1...65_536
        )
        c.hashQueueMaxWaitMilliseconds = try reader.int(
            "AUTH_HASH_QUEUE_MAX_WAIT_MS",
            default: c.hashQueueMaxWaitMilliseconds,
            range: 0...600_000
        )
        try readMail(reader, into: &c)
        do {
            try readNetwork(reader, into: &c)
        } catch let error as ConfigurationError {
            try reader.report(error)
        }
        for problem in c.validationProblems() { try reader.report(problem) }
        return c
    }
}
