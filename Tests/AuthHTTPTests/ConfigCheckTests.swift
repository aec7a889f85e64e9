import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import AuthCore

/// `authd config check`, `authd --version`, and the build in `/health` and `/metrics`.
@Suite struct ConfigCheckTests {
    /// Three kinds of problem at once: a variable out of range, a database nobody listens for, an SMTP server
    /// nobody answers for.
    static let brokenEnvironment = [
        "AUTH_BCRYPT_COST": "40",
        "DATABASE_URL": "postgres://u:p4ssw0rd-db@127.0.0.1:1/x",
        "AUTH_MAIL_URL": "smtp://mailer:p4ssw0rd-mail@127.0.0.1:1",
        "AUTH_JWT_SECRET": "a-jwt-secret-that-must-never-be-printed",
    ]

    @Test func reportsABadVariableAnUnreachableDatabaseAndAnUnreachableSMTPServerTogether() async throws {
        let check = await ConfigurationCheck.run(environment: Self.brokenEnvironment, timeout: .seconds(5))
        #expect(!check.passed)
        #expect(check.problems.count == 3, "\(check.problems)")
        #expect(check.problems[0] == "configuration error: AUTH_BCRYPT_COST: must be between 4 and 31, got 40")
        #expect(check.problems[1].hasPrefix("database: DATABASE_URL: PostgreSQL 127.0.0.1:1/x: "), "\(check.problems)")
        #expect(check.problems[2] == "mail: AUTH_MAIL_URL: could not connect to SMTP server 127.0.0.1:1")
        let text = check.text + check.problems.joined()
        for secret in ["p4ssw0rd-db", "p4ssw0rd-mail", "a-jwt-secret-that-must-never-be-printed"] {
            #expect(!text.contains(secret))
        }
        let settings = Dictionary(uniqueKeysWithValues: check.report.settings.map { ($0.variable, $0) })
        #expect(settings["DATABASE_URL"]?.value == "postgres://u:[redacted]@127.0.0.1:1/x")
        #expect(settings["AUTH_MAIL_URL"]?.value == "smtp://mailer:[redacted]@127.0.0.1:1")
        #expect(settings["AUTH_JWT_SECRET"]?.value == "[redacted]" && settings["AUTH_JWT_SECRET"]?.source == .variable)
        #expect(settings["AUTH_PORT"]?.value == "8080" && settings["AUTH_PORT"]?.source == .default)
    }

    @Test func theBinaryListsEveryProblemOnStandardErrorAndExitsWithStatus1() async throws {
        let binary = try #require(Self.binary, "build the authd executable first (swift build --build-tests)")
        let (status, output, errors) = try Self.run(binary, ["config", "check"], environment: Self.brokenEnvironment)
        #expect(status == 1)
        let lines = errors.split(separator: "\n").filter { $0.hasPrefix("authd: ") }
        #expect(lines.count == 3, "\(errors)")
        #expect(lines[0].contains("AUTH_BCRYPT_COST") && lines[1].contains("DATABASE_URL"))
        #expect(lines[2].contains("AUTH_MAIL_URL"))
        #expect(output.contains("3 problems") && !output.contains("p4ssw0rd"))
        let version = try Self.run(binary, ["--version"], environment: ["AUTHD_BUILD_COMMIT": "0123abc"])
        #expect(version.status == 0 && version.output == "authd \(BuildInfo.version) (commit 0123abc)\n")
    }

    @Test func aGoodEnvironmentPassesAndSecretsFromFilesAreNamedButNotShown() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("authd-check-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secretFile = directory.appendingPathComponent("jwt").path
        try "an-hs256-secret-of-at-least-32-bytes-long\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let environment = [
            "DATABASE_URL": "sqlite://\(directory.path)/data/auth.sqlite",
            "AUTH_MAIL_URL": "file://\(directory.path)/outbox",
            "AUTH_JWT_ALGORITHM": "HS256",
            "AUTH_JWT_SECRET_FILE": secretFile,
        ]
        let check = await ConfigurationCheck.run(environment: environment)
        #expect(check.passed, "\(check.problems)")
        #expect(check.probes.map(\.passed) == [true, true])
        let secret = try #require(check.report.settings.first { $0.variable == "AUTH_JWT_SECRET" })
        #expect(secret.value == "[redacted]")
        #expect(secret.source == .file(variable: "AUTH_JWT_SECRET_FILE", path: secretFile))
        #expect(check.text.contains("AUTH_JWT_SECRET_FILE=\(secretFile)") && !check.text.contains("an-hs256"))
        // Checking creates nothing.
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/data"))
        // An unreadable file is a problem named after the _FILE variable, listed with the others.
        var broken = environment
        broken["AUTH_JWT_SECRET_FILE"] = directory.appendingPathComponent("missing").path
        broken["AUTH_PORT"] = "http"
        let problems = await ConfigurationCheck.run(environment: broken).problems
        #expect(problems.contains { $0.hasPrefix("configuration error: AUTH_JWT_SECRET_FILE: cannot read ") })
        #expect(problems.contains("configuration error: AUTH_PORT: expected a whole number, got \"http\""))
        #expect(problems.contains("configuration error: AUTH_JWT_SECRET: HS256 needs a secret of at least 32 bytes"))
    }

    /// `serve` reads the environment with `fromEnvironment`: the check must find what it throws, first.
    @Test func checkAgreesWithWhatServeReads() throws {
        let environments: [[String: String]] = [
            [:], ["AUTH_ACCESS_TOKEN_TTL": "abc", "LOG_FORMAT": "xml"], ["AUTH_JWT_ALGORITHM": "HS256"],
            ["AUTH_TRUSTED_PROXIES": "10.0.0.0/8, nonsense", "AUTH_TLS_CERT_FILE": "/cert.pem"],
            ["AUTH_PUBLIC_URL": "ftp://x", "AUTH_BOOTSTRAP_ADMIN_EMAIL": "a@example.com", "AUTH_ISSUER": "nowhere"],
        ]
        for environment in environments {
            let report = AuthConfiguration.check(environment)
            do {
                let configuration = try AuthConfiguration.fromEnvironment(environment)
                #expect(report.problems.isEmpty && "\(configuration)" == "\(report.configuration)")
            } catch let error as ConfigurationError {
                #expect(report.problems.first?.description == error.description, "\(environment)")
                #expect(report.problems.count == max(1, environment.count), "\(report.problems)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func healthAndMetricsNameTheBuild(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let health = try await api.call(.get, "/health")
            #expect(health.string("version") == BuildInfo.version && health.string("commit") == BuildInfo.commit)
            let metrics = try await api.call(.get, "/metrics").text
            let line = "authd_build_info{version=\"\(BuildInfo.version)\",commit=\"\(BuildInfo.commit)\"} 1"
            #expect(metrics.contains(line) || metrics.contains(line.replacingOccurrences(of: "} 1", with: "} 1.0")))
        }
    }

    /// The commit goes into JSON and a Prometheus label: only a plain token gets through.
    @Test func theCommitIsAPlainTokenOrUnknown() {
        #expect(BuildInfo.commit(from: [:]) == "unknown")
        #expect(BuildInfo.commit(from: ["AUTHD_BUILD_COMMIT": "3f2c9e1"]) == "3f2c9e1")
        #expect(BuildInfo.commit(from: ["AUTHD_BUILD_COMMIT": "v1.0-rc_2"]) == "v1.0-rc_2")
        #expect(BuildInfo.commit(from: ["AUTHD_BUILD_COMMIT": "abc\"} 1\nauthd_x{"]) == "abc1authd_x")
        #expect(BuildInfo.commit(from: ["AUTHD_BUILD_COMMIT": String(repeating: "a", count: 100)]).count == 64)
        #expect(BuildInfo.commit(from: ["AUTHD_BUILD_COMMIT": "\"{}"]) == "unknown")
    }

    /// The `authd` executable built beside this test bundle.
    static var binary: String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            folder.appendingPathComponent("authd").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/authd").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(
        _ binary: String,
        _ arguments: [String],
        environment: [String: String]
    ) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
