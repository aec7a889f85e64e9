import ArgumentParser
import AuthCore
import AuthHTTP
import AuthPersistence
import Foundation
import Hummingbird
import NIOCore
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct Authd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authd",
        abstract: "A self-hosted user authentication service.",
        subcommands: [Serve.self, Migrate.self, CreateAdmin.self, CreateServiceClient.self, RotateKeys.self],
        defaultSubcommand: Serve.self)
}

/// Reads the configuration, or ends the process with status 1 and one line naming the variable.
func loadConfiguration(adjust: (inout [String: String]) -> Void = { _ in }) throws -> AuthConfiguration {
    var env = ProcessInfo.processInfo.environment
    adjust(&env)
    do {
        let configuration = try AuthConfiguration.fromEnvironment(env)
        bootstrapLogging(configuration)
        return configuration
    } catch let error as ConfigurationError {
        FileHandle.standardError.write(Data("authd: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

func bootstrapLogging(_ configuration: AuthConfiguration) {
    let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
    LoggingSystem.bootstrap { label in
        var handler: any LogHandler = LineLogHandler(label: label, format: configuration.logFormat == .json ? .json : .text)
        handler.logLevel = level
        return handler
    }
}

/// Runs `body` with the database, then closes it; errors become one line and exit status 1.
func withServices(_ configuration: AuthConfiguration, migrate: Bool = true, _ body: (AuthServices, DatabaseService) async throws -> Void) async throws {
    let logger = Logger(label: "authd")
    let database: DatabaseService
    do {
        database = try DatabaseService(configuration: configuration, logger: logger)
    } catch {
        FileHandle.standardError.write(Data("authd: cannot open the database: \(String(describing: type(of: error)))\n".utf8))
        throw ExitCode(1)
    }
    do {
        try await database.configureConnection()
        let services = try AuthServices(configuration: configuration, store: database.store(), logger: logger,
                                        bus: PostgresInvalidationBus(database: database))
        if migrate { try await database.migrate() }
        try await body(services, database)
        await database.shutdown()
    } catch {
        await database.shutdown()
        if error is ExitCode { throw error }
        let message = (error as? AuthError).map { "\($0.code): \($0.detail) \($0.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: " "))" }
            ?? (error as? ConfigurationError)?.description ?? "failed (\(String(reflecting: type(of: error))))"
        FileHandle.standardError.write(Data("authd: \(message)\n".utf8))
        throw ExitCode(1)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (the default).")
    @Option(help: "Address to listen on (AUTH_HOSTNAME, default 0.0.0.0).") var hostname: String?
    @Option(help: "Port to listen on (AUTH_PORT, default 8080).") var port: Int?

    func run() async throws {
        var configuration = try loadConfiguration()
        // Before anything uses NIO's shared event loop group (the HTTP server and the PostgreSQL pools do).
        NIOSingletons.groupLoopCountSuggestion = configuration.eventLoopThreads
        if let hostname { configuration.hostname = hostname }
        if let port { configuration.port = port }
        let app: AuthApp
        do {
            app = try await buildApplication(configuration: configuration)
        } catch {
            let message = (error as? ConfigurationError)?.description
                ?? (error as? AuthError).map { "cannot start: \($0.code): \($0.detail)" }
                ?? "cannot start: \(String(reflecting: type(of: error)))"
            FileHandle.standardError.write(Data("authd: \(message)\n".utf8))
            throw ExitCode(1)
        }
        // SIGTERM/SIGINT: stop accepting, let in-flight requests finish for at most 20 s, then close the pools.
        var group = ServiceGroupConfiguration(services: [app.application], gracefulShutdownSignals: [.sigterm, .sigint],
                                              logger: app.application.logger)
        group.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: group).run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations (or revert them all).")
    @Flag(help: "Revert every migration.") var revert = false

    func run() async throws {
        let configuration = try loadConfiguration()
        try await withServices(configuration, migrate: false) { services, database in
            if revert {
                try await database.migrate(revert: true)
                print("reverted all migrations")
            } else {
                let store = services.store
                try await database.migrate(then: { try await store.roles.seed(Role.seeded) })
                print("migrations applied")
            }
        }
    }
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin", abstract: "Create an administrator. The password is read from standard input, never from the command line.")
    @Option(help: "The administrator's email.") var email: String

    func run() async throws {
        let configuration = try loadConfiguration()
        let password = readPassword()
        try await withServices(configuration) { services, _ in
            try await services.store.roles.seed(Role.seeded)
            guard try await services.ensureAdmin(email: email, password: password, force: true) else {
                FileHandle.standardError.write(Data("authd: \(email.lowercased()) already has an account; grant it the admin role instead\n".utf8))
                throw ExitCode(1)
            }
            print("administrator \(email.lowercased()) created")
        }
    }

    func readPassword() -> String {
        if isatty(STDIN_FILENO) != 0 {
            return String(cString: getpass("Password: "))
        }
        return (readLine(strippingNewline: true) ?? "")
    }
}

struct CreateServiceClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-service-client", abstract: "Create a service client for /auth/verify; prints its id and secret as JSON.")
    @Argument(help: "A name for the client.") var name: String

    func run() async throws {
        let configuration = try loadConfiguration()
        try await withServices(configuration) { services, _ in
            let (client, secret) = try await services.admin.createServiceClient(name: name, actor: nil, meta: RequestMeta())
            let json = try JSONSerialization.data(withJSONObject: ["client_id": client.clientID, "client_secret": secret], options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        }
    }
}

struct RotateKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys", abstract: "Add a new signing key; older keys verify until their tokens expire.")

    func run() async throws {
        let configuration = try loadConfiguration()
        guard configuration.jwtAlgorithm != .hs256, configuration.jwtPrivateKeyFile == nil else {
            FileHandle.standardError.write(Data("authd: rotate-keys manages database keys; HS256 and AUTH_JWT_PRIVATE_KEY_FILE keys are rotated by changing the configuration\n".utf8))
            throw ExitCode(1)
        }
        try await withServices(configuration) { services, _ in
            let kid = try await services.tokens.rotate()
            print("new signing key \(kid)")
        }
    }
}
