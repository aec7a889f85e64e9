import AuthCore
import Foundation
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsMatchTheContract() throws {
        let c = try AuthConfiguration.fromEnvironment([:])
        #expect(c.database == .sqlite(path: "./data/auth.sqlite"))
        #expect(c.issuer == "http://localhost:8080" && c.audience == "authd")
        #expect(c.jwtAlgorithm == .es256)
        #expect(c.accessTokenTTL == 900 && c.refreshTokenTTL == 2_592_000)
        #expect(c.bcryptCost == 12)
        #expect(c.rateLimitEnabled)
        #expect(c.loginMaxFailures == 5 && c.loginLockoutSeconds == 900)
        #expect(c.logLevel == "info" && c.logFormat == .text)
        #expect(c.bootstrapAdminEmail == nil)
        #expect(c.autoMigrate)
        #expect(c.postgresPoolWaitSeconds == 5 && c.sqliteWaitSeconds == 10)
    }

    @Test func parsesEveryDatabaseURLForm() throws {
        #expect(try AuthConfiguration.parseDatabaseURL("sqlite://./x/y.sqlite") == .sqlite(path: "./x/y.sqlite"))
        #expect(
            try AuthConfiguration.parseDatabaseURL("sqlite:///var/lib/authd.sqlite")
                == .sqlite(path: "/var/lib/authd.sqlite")
        )
        #expect(try AuthConfiguration.parseDatabaseURL("sqlite::memory:") == .sqliteMemory)
        #expect(
            try AuthConfiguration.parseDatabaseURL("postgres://u:p@db:5432/auth")
                == .postgres(url: "postgres://u:p@db:5432/auth")
        )
    }

    func failure(_ env: [String: String]) -> ConfigurationError? {
        do {
            _ = try AuthConfiguration.fromEnvironment(env)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test(arguments: [
        (["DATABASE_URL": "mysql://x"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://"], "DATABASE_URL"),
        (["DATABASE_URL": "sqlite://"], "DATABASE_URL"),
        (["AUTH_ACCESS_TOKEN_TTL": "abc"], "AUTH_ACCESS_TOKEN_TTL"),
        (["AUTH_BCRYPT_COST": "40"], "AUTH_BCRYPT_COST"),
        (["AUTH_BCRYPT_COST": "3"], "AUTH_BCRYPT_COST"),
        (["AUTH_STATE_CACHE_NOTIFIED_TTL_MS": "3600001"], "AUTH_STATE_CACHE_NOTIFIED_TTL_MS"),
        (["AUTH_EVENT_LOOP_THREADS": "0"], "AUTH_EVENT_LOOP_THREADS"),
        (["AUTH_HASH_THREADS": "257"], "AUTH_HASH_THREADS"),
        (["AUTH_POSTGRES_POOL_WAIT_SECONDS": "0"], "AUTH_POSTGRES_POOL_WAIT_SECONDS"),
        (["AUTH_HASH_THREADS": "-1"], "AUTH_HASH_THREADS"),
        (["AUTH_RATE_LIMIT_ENABLED": "maybe"], "AUTH_RATE_LIMIT_ENABLED"),
        (["AUTH_JWT_ALGORITHM": "none"], "AUTH_JWT_ALGORITHM"),
        (["AUTH_JWT_ALGORITHM": "HS256"], "AUTH_JWT_SECRET"),
        (["AUTH_JWT_ALGORITHM": "HS256", "AUTH_JWT_SECRET": "short"], "AUTH_JWT_SECRET"),
        (["AUTH_BOOTSTRAP_ADMIN_EMAIL": "a@example.com"], "AUTH_BOOTSTRAP_ADMIN_PASSWORD"),
        (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
        (["AUTH_ISSUER": "not a url"], "AUTH_ISSUER"),
    ])
    func badValuesNameTheirVariable(_ env: [String: String], _ variable: String) {
        let error = failure(env)
        #expect(error?.variable == variable, "\(String(describing: error))")
        #expect(error?.description.contains(variable) == true)
    }

    @Test func secretsCanComeFromFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try "0123456789abcdef0123456789abcdef-extra\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try AuthConfiguration.fromEnvironment(["AUTH_JWT_ALGORITHM": "HS256", "AUTH_JWT_SECRET_FILE": path])
        #expect(c.jwtSecret == "0123456789abcdef0123456789abcdef-extra")
        #expect(failure(["AUTH_JWT_SECRET_FILE": "/nonexistent/file"])?.variable == "AUTH_JWT_SECRET_FILE")
    }

    @Test func listsAndBooleansParse() throws {
        let c = try AuthConfiguration.fromEnvironment([
            "AUTH_TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16", "AUTH_RATE_LIMIT_ENABLED": "false",
            "AUTH_AUTO_MIGRATE": "0",
            "AUTH_CORS_ORIGINS": "https://a.example,https://b.example", "LOG_FORMAT": "JSON",
        ])
        #expect(c.trustedProxies == ["10.0.0.1", "10.1.0.0/16"])
        #expect(!c.rateLimitEnabled && !c.autoMigrate)
        #expect(c.corsOrigins.count == 2)
        #expect(c.logFormat == .json)
    }
}
