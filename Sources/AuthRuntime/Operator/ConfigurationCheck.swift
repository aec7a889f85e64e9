import AuthCore
import AuthMail
import AuthPersistence
import Foundation
import Logging
import NIOSSL

/// `authd config check`: the environment read as `serve` reads it, every problem listed rather than the first, the
/// effective settings with secrets redacted and where each came from, and whether the database and the mail
/// transport answer. Sends no mail and changes no data (a SQLite file that does not exist yet is not created).
public struct ConfigurationCheck: Sendable {
    /// One thing reached for: the database or the mail transport.
    public struct Probe: Sendable {
        public let name: String
        /// The variable that points there: `DATABASE_URL` or `AUTH_MAIL_URL`.
        public let variable: String
        public let passed: Bool
        public let detail: String

        static func database(_ passed: Bool, _ detail: String) -> Probe {
            Probe(name: "database", variable: "DATABASE_URL", passed: passed, detail: detail)
        }

        static func mail(_ passed: Bool, _ detail: String) -> Probe {
            Probe(name: "mail", variable: "AUTH_MAIL_URL", passed: passed, detail: detail)
        }
    }

    public let report: ConfigurationReport
    public let probes: [Probe]
    /// Every problem, one line each: the configuration's (`configuration error: VARIABLE: ...`), then the probes'.
    public let problems: [String]

    public var passed: Bool { problems.isEmpty }

    /// Runs every check; `timeout` bounds each probe.
    public static func run(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Duration = .seconds(5)
    ) async -> ConfigurationCheck {
        let report = AuthConfiguration.check(environment)
        let configuration = report.configuration
        var errors = report.problems
        func add(_ error: ConfigurationError) {
            if !errors.contains(where: { $0.variable == error.variable }) { errors.append(error) }
        }
        // What `serve` reads or builds at start beyond the variables themselves.
        var logger = Logger(label: "authd-config-check")
        logger.logLevel = .critical
        var transportBuilt = false
        do {
            _ = try AuthRuntime.transport(for: configuration, logger: logger)
            transportBuilt = true
        } catch let error as ConfigurationError {
            add(error)
        } catch {
            add(ConfigurationError(variable: "AUTH_MAIL_URL", message: "\(error)"))
        }
        for error in await startupProblems(configuration) { add(error) }
        let failed = Set(errors.map(\.variable))
        async let database =
            failed.contains("DATABASE_URL")
            ? nil : probeDatabase(configuration, timeout: timeout, logger: logger)
        async let mail =
            failed.contains("AUTH_MAIL_URL") || !transportBuilt
            ? nil : probeMail(configuration, timeout: timeout)
        let probes = [await database, await mail].compactMap { $0 }
        let problems =
            errors.map(\.description)
            + probes.filter { !$0.passed }.map { "\($0.name): \($0.variable): \($0.detail)" }
        return ConfigurationCheck(report: report, probes: probes, problems: problems)
    }

    /// The files and values `serve` loads at start: the password blocklist, the signing key file, the TLS
    /// certificate and key, and the bootstrap administrator's email and password (checked against the policy).
    static func startupProblems(_ c: AuthConfiguration) async -> [ConfigurationError] {
        var problems: [ConfigurationError] = []
        var policy = PasswordPolicy()
        do {
            policy = try PasswordPolicy(blocklistFile: c.passwordBlocklistFile)
        } catch let error as ConfigurationError {
            problems.append(error)
        } catch {}
        if let file = c.jwtPrivateKeyFile {
            do {
                let material = try SigningKey.materialFromFile(file, algorithm: c.jwtAlgorithm)
                _ = try await SigningKey.load(
                    kid: "check",
                    algorithm: c.jwtAlgorithm,
                    material: material,
                    createdAt: Date()
                )
            } catch let error as ConfigurationError {
                problems.append(error)
            } catch {
                problems.append(
                    ConfigurationError(
                        variable: "AUTH_JWT_PRIVATE_KEY_FILE",
                        message: "not a \(c.jwtAlgorithm.rawValue) private key in PEM"
                    )
                )
            }
        }
        if let certificate = c.network.tlsCertificateFile, let key = c.network.tlsKeyFile {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate).map {
                    NIOSSLCertificateSource.certificate($0)
                }
                let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
                _ = try NIOSSLContext(
                    configuration: .makeServerConfiguration(
                        certificateChain: chain,
                        privateKey: .privateKey(privateKey)
                    )
                )
            } catch {
                problems.append(
                    ConfigurationError(
                        variable: "AUTH_TLS_CERT_FILE",
                        message:
                            "the certificate and key do not load as a PEM pair (\(String(describing: type(of: error))))"
                    )
                )
            }
        }
        if let email = c.bootstrapAdminEmail, let password = c.bootstrapAdminPassword {
            let normalized = EmailAddress.normalize(email)
            if normalized == nil {
                problems.append(
                    ConfigurationError(variable: "AUTH_BOOTSTRAP_ADMIN_EMAIL", message: "not an email address")
                )
            }
            if let problem = policy.check(password, email: normalized).first {
                problems.append(ConfigurationError(variable: "AUTH_BOOTSTRAP_ADMIN_PASSWORD", message: problem.message))
            }
        }
        return problems
    }

    /// Opens the database and runs `SELECT 1`. A SQLite file that does not exist yet is not created: its folder must
    /// be writable instead.
    static func probeDatabase(_ c: AuthConfiguration, timeout: Duration, logger: Logger) async -> Probe {
        let target: String
        switch c.database {
        case .sqliteMemory:
            return Probe.database(true, "SQLite in memory (nothing kept after exit)")
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent().path
                while ancestor.count > 1, !FileManager.default.fileExists(atPath: ancestor) {
                    ancestor = (ancestor as NSString).deletingLastPathComponent
                }
                guard FileManager.default.isWritableFile(atPath: ancestor) else {
                    return Probe.database(false, "\(path) does not exist and \(ancestor) is not writable")
                }
                return Probe.database(true, "SQLite \(path) does not exist yet; serve creates it")
            }
            target = "SQLite \(path)"
        case .postgres(let url):
            let components = URLComponents(string: url)
            target = "PostgreSQL \(components?.host ?? "?"):\(components?.port ?? 5432)\(components?.path ?? "")"
        }
        let service: DatabaseService
        do {
            service = try DatabaseService(configuration: c, logger: logger)
        } catch {
            return Probe.database(false, "\(target): cannot open (\(type(of: error)))")
        }
        let failure = await service.probe(timeout: timeout)
        await service.shutdown()
        if let failure { return Probe.database(false, "\(target): \(failure)") }
        return Probe.database(true, "\(target) answers SELECT 1")
    }

    static func probeMail(_ c: AuthConfiguration, timeout: Duration) async -> Probe {
        do {
            return Probe.mail(true, try await MailTransports.probe(url: c.mail.url, timeout: timeout))
        } catch let error as MailDeliveryError {
            switch error {
            case .transient(let message), .permanent(let message):
                return Probe.mail(false, message)
            }
        } catch {
            return Probe.mail(false, "\(error)")
        }
    }
}
