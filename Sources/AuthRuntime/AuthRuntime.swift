import AuthCore
import AuthMail
import AuthPersistence
import Logging
import ServiceLifecycle

/// The composition root: the database, the domain services wired to it and to the other instances (PostgreSQL
/// LISTEN/NOTIFY), and the background work. `authd serve`, every CLI command and the tests build it here.
public struct AuthRuntime: Sendable {
    /// What to do to the database before the services are used.
    public enum Preparation: Sendable {
        /// As the server starts: migrate (unless `AUTH_AUTO_MIGRATE=false`), seed roles, load signing keys, create
        /// the bootstrap admin when configured.
        case serve
        /// Apply pending migrations only.
        case migrate
        /// Nothing (`authd migrate` manages the schema itself).
        case none
    }

    public let configuration: AuthConfiguration
    public let database: DatabaseService
    public let services: AuthServices
    /// Sends the outbox (run among the background services).
    public let mailWorker: MailOutboxWorker
    let logger: Logger

    /// Opens the database and builds the services; on failure everything opened is closed again.
    public static func start(
        configuration: AuthConfiguration,
        clock: any AuthClock = SystemClock(),
        logger: Logger,
        preparation: Preparation = .serve,
        passwordHasher: (any PasswordHasher)? = nil,
        mailTransport: (any MailTransport)? = nil
    ) async throws -> AuthRuntime {
        let database = try DatabaseService(configuration: configuration, logger: logger)
        if configuration.encryptionKey == nil, case .postgres = configuration.database {
            // A shared database is backed up and read by others: keys in it should not be plaintext.
            logger.warning(
                "AUTH_ENCRYPTION_KEY is not set: signing private keys are stored unencrypted in the database",
                metadata: ["hint": "set AUTH_ENCRYPTION_KEY to 32 random bytes (openssl rand -base64 32)"]
            )
        }
        do {
            try await database.configureConnection()
            let services = try AuthServices(
                configuration: configuration,
                store: database.store(),
                clock: clock,
                logger: logger,
                passwordHasher: passwordHasher
            )
            let transport = try mailTransport ?? Self.transport(for: configuration, logger: logger)
            let worker = try MailOutboxWorker(services: services, transport: transport, logger: logger)
            switch preparation {
            case .serve where configuration.autoMigrate:
                try await database.migrate(then: { try await services.bootstrap() })
            case .serve:
                try await database.withStartupLock { _ in try await services.bootstrap() }
            case .migrate:
                try await database.migrate()
            case .none:
                break
            }
            return AuthRuntime(
                configuration: configuration,
                database: database,
                services: services,
                mailWorker: worker,
                logger: logger
            )
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// The services to run beside the HTTP server: the database (closes its pools on shutdown), the
    /// invalidation listener on PostgreSQL (the invalidation log's poller on SQLite), and hourly maintenance.
    public var backgroundServices: [any Service] {
        var services: [any Service] = [
            database, MaintenanceService(services: self.services, logger: logger), mailWorker,
        ]
        if let listener = PostgresInvalidationListener(database: database, hub: self.services.invalidations) {
            services.append(listener)
        }
        if let poller = SQLiteInvalidationPoller(database: database, hub: self.services.invalidations) {
            services.append(poller)
        }
        return services
    }

    /// The transport `AUTH_MAIL_URL` names.
    static func transport(for configuration: AuthConfiguration, logger: Logger) throws -> any MailTransport {
        let mail = configuration.mail
        guard let from = MailAddress(parsing: mail.from) else {
            throw ConfigurationError(
                variable: "AUTH_MAIL_FROM",
                message: "expected an address, e.g. authd <no-reply@example.com>"
            )
        }
        do {
            return try MailTransports.make(url: mail.url, from: from, webhookSecret: mail.webhookSecret, logger: logger)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(variable: "AUTH_MAIL_URL", message: String(describing: error))
        }
    }

    /// Closes the database when the runtime is not run as services (CLI commands).
    public func shutdown() async {
        await database.shutdown()
    }
}
