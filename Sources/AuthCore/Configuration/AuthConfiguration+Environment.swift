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
        try reader.int("DATABASE_POOL_SIZE", into: &c, \.databasePoolSize, range: 1...500)
        try reader.int("AUTH_SQLITE_WAIT_SECONDS", into: &c, \.sqliteWaitSeconds, range: 1...600)
        try reader.int("AUTH_POSTGRES_POOL_WAIT_SECONDS", into: &c, \.postgresPoolWaitSeconds, range: 1...600)
        try reader.int("AUTH_EVENT_LOOP_THREADS", into: &c, \.eventLoopThreads, range: 1...1024)
        try reader.bool("AUTH_AUTO_MIGRATE", into: &c, \.autoMigrate)
        c.hostname = try reader.string("AUTH_HOSTNAME", default: c.hostname)
        try reader.int("AUTH_PORT", into: &c, \.port, range: 0...65535)
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
        try reader.int("AUTH_ACCESS_TOKEN_TTL", into: &c, \.accessTokenTTL, range: 1...86_400)
        try reader.int("AUTH_REFRESH_TOKEN_TTL", into: &c, \.refreshTokenTTL, range: 60...31_536_000)
        try reader.int("AUTH_SESSION_IDLE_TIMEOUT", into: &c, \.sessionIdleTimeout, range: 60...31_536_000)
        try reader.int("AUTH_REFRESH_REUSE_GRACE_SECONDS", into: &c, \.refreshReuseGrace, range: 0...300)
        try reader.int("AUTH_BCRYPT_COST", into: &c, \.bcryptCost, range: 4...31)
        c.bootstrapAdminEmail = try reader.string("AUTH_BOOTSTRAP_ADMIN_EMAIL")
        c.bootstrapAdminPassword = try reader.string("AUTH_BOOTSTRAP_ADMIN_PASSWORD")
        try reader.bool("AUTH_RATE_LIMIT_ENABLED", into: &c, \.rateLimitEnabled)
        try reader.int("AUTH_RATE_LIMIT_LOGIN_PER_MINUTE", into: &c, \.rateLimits.login, range: 1...1_000_000)
        try reader.int("AUTH_RATE_LIMIT_REGISTER_PER_MINUTE", into: &c, \.rateLimits.register, range: 1...1_000_000)
        try reader.int("AUTH_RATE_LIMIT_REFRESH_PER_MINUTE", into: &c, \.rateLimits.refresh, range: 1...1_000_000)
        try reader.int("AUTH_RATE_LIMIT_OTHER_PER_MINUTE", into: &c, \.rateLimits.other, range: 1...1_000_000)
        try reader.int(
            "AUTH_RATE_LIMIT_VERIFY_PER_MINUTE",
            into: &c,
            \.rateLimits.verifyPerClient,
            range: 1...100_000_000
        )
        try reader.int(
            "AUTH_RATE_LIMIT_VERIFY_FAILURES_PER_MINUTE",
            into: &c,
            \.rateLimits.verifyFailures,
            range: 1...1_000_000
        )
        try reader.int("AUTH_LOGIN_MAX_FAILURES", into: &c, \.loginMaxFailures, range: 1...1_000_000)
        try reader.int("AUTH_LOGIN_LOCKOUT_SECONDS", into: &c, \.loginLockoutSeconds, range: 1...86_400 * 30)
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
        try reader.int("AUTH_PAT_MAX_TTL", into: &c, \.personalTokenMaxTTL, range: 60...10 * 366 * 86_400)
        c.personalTokenDefaultTTL = try reader.int(
            "AUTH_PAT_DEFAULT_TTL",
            default: min(c.personalTokenDefaultTTL, c.personalTokenMaxTTL),
            range: 60...c.personalTokenMaxTTL
        )
        try reader.bool("AUTH_PAT_ALLOW_NON_EXPIRING", into: &c, \.personalTokenAllowNonExpiring)
        try reader.int("AUTH_PAT_MAX_PER_USER", into: &c, \.personalTokenMaxPerUser, range: 1...10_000)
        try reader.int("AUTH_AUDIT_RETENTION_DAYS", into: &c, \.auditRetentionDays, range: 1...36_500)
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
        try reader.int("AUTH_STATE_CACHE_TTL_MS", into: &c, \.stateCacheTTLMilliseconds, range: 0...1000)
        try reader.int(
            "AUTH_STATE_CACHE_NOTIFIED_TTL_MS",
            into: &c,
            \.stateCacheNotifiedTTLMilliseconds,
            range: 0...3_600_000
        )
        try reader.int("AUTH_CACHE_MEMORY_MB", into: &c, \.cacheMemoryMegabytes, range: 1...65_536)
        try reader.int("AUTH_HASH_QUEUE_MAX_WAIT_MS", into: &c, \.hashQueueMaxWaitMilliseconds, range: 0...600_000)
        try reader.int("AUTH_HASH_THREADS", into: &c, \.hashThreads, range: 0...256)
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
