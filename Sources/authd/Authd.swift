import ArgumentParser
import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

@main
struct Authd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authd",
        abstract: "A self-hosted user authentication service.",
        version: BuildInfo.summary,
        subcommands: [
            Serve.self, Migrate.self, CreateAdmin.self, CreateServiceClient.self, RotateKeys.self,
            RotateEncryptionKey.self, Users.self, Audit.self, Config.self,
        ],
        defaultSubcommand: Serve.self
    )
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
        var handler: any LogHandler = LineLogHandler(
            label: label,
            format: configuration.logFormat == .json ? .json : .text
        )
        handler.logLevel = level
        return handler
    }
}

/// Runs `body` with the runtime (see `AuthRuntime`), then closes it; errors become one line and exit status 1.
func withRuntime(
    _ configuration: AuthConfiguration,
    preparation: AuthRuntime.Preparation = .migrate,
    _ body: (AuthRuntime) async throws -> Void
) async throws {
    let runtime: AuthRuntime
    do {
        runtime = try await AuthRuntime.start(
            configuration: configuration,
            logger: Logger(label: "authd"),
            preparation: preparation
        )
    } catch {
        FileHandle.standardError.write(Data("authd: \(describe(error))\n".utf8))
        throw ExitCode(1)
    }
    do {
        try await body(runtime)
        await runtime.shutdown()
    } catch {
        await runtime.shutdown()
        if error is ExitCode { throw error }
        FileHandle.standardError.write(Data("authd: \(describe(error))\n".utf8))
        throw ExitCode(1)
    }
}

/// One line for an error, without secrets: the code and message of a domain error, the variable of a
/// configuration error, else the error's type.
func describe(_ error: any Error) -> String {
    if let error = error as? AuthError {
        let fields = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: " ")
        return "\(error.code): \(error.detail) \(fields)".trimmingCharacters(in: .whitespaces)
    }
    if let error = error as? ConfigurationError { return error.description }
    if let error = error as? OperatorError { return error.message }
    return "failed (\(String(reflecting: type(of: error))))"
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
            let message = error is ConfigurationError ? describe(error) : "cannot start: \(describe(error))"
            FileHandle.standardError.write(Data("authd: \(message)\n".utf8))
            throw ExitCode(1)
        }
        // SIGTERM/SIGINT: stop accepting, let in-flight requests finish for at most 20 s, then close the pools.
        var group = ServiceGroupConfiguration(
            services: [app.application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: app.application.logger
        )
        group.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: group).run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations (or revert them all).")
    @Flag(help: "Revert every migration.") var revert = false

    func run() async throws {
        let configuration = try loadConfiguration()
        try await withRuntime(configuration, preparation: .none) { runtime in
            if revert {
                try await runtime.database.migrate(revert: true)
                print("reverted all migrations")
            } else {
                let store = runtime.services.store
                try await runtime.database.migrate(then: { try await store.roles.seed(Role.seeded) })
                print("migrations applied")
            }
        }
    }
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an administrator. The password is read from standard input, never from the command line."
    )
    @Option(help: "The administrator's email.") var email: String

    func run() async throws {
        let configuration = try loadConfiguration()
        let password = readPassword()
        try await withRuntime(configuration) { runtime in
            try await runtime.services.store.roles.seed(Role.seeded)
            guard try await runtime.services.ensureAdmin(email: email, password: password, force: true) else {
                FileHandle.standardError.write(
                    Data("authd: \(email.lowercased()) already has an account; grant it the admin role instead\n".utf8)
                )
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
        commandName: "create-service-client",
        abstract: "Create a service client for /auth/verify; prints its id and secret as JSON."
    )
    @Argument(help: "A name for the client.") var name: String

    func run() async throws {
        let configuration = try loadConfiguration()
        try await withRuntime(configuration) { runtime in
            let (client, secret) = try await runtime.services.serviceClients.create(
                name: name,
                actor: nil,
                meta: RequestMeta()
            )
            let json = try JSONSerialization.data(
                withJSONObject: ["client_id": client.clientID, "client_secret": secret],
                options: [.sortedKeys]
            )
            print(String(decoding: json, as: UTF8.self))
        }
    }
}

struct RotateEncryptionKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-encryption-key",
        abstract:
            "Re-encrypt stored signing keys and TOTP secrets under AUTH_ENCRYPTION_KEY (from plaintext or a previous key)."
    )

    func run() async throws {
        let configuration = try loadConfiguration()
        guard configuration.encryptionKey != nil else {
            FileHandle.standardError.write(Data("authd: rotate-encryption-key needs AUTH_ENCRYPTION_KEY\n".utf8))
            throw ExitCode(1)
        }
        try await withRuntime(configuration) { runtime in
            let rewritten = try await runtime.services.tokens.resealKeys()
            let (sealed, total) = try await runtime.services.tokens.sealedKeyCount()
            print("re-encrypted \(rewritten) signing key(s); \(sealed) of \(total) are under the current key")
            let secrets = try await runtime.services.mfa.resealSecrets()
            let (sealedSecrets, totalSecrets) = try await runtime.services.mfa.sealedSecretCount()
            print(
                "re-encrypted \(secrets) TOTP secret(s); \(sealedSecrets) of \(totalSecrets) are under the current key"
            )
            if sealed != total || sealedSecrets != totalSecrets { throw ExitCode(1) }
        }
    }
}

struct RotateKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys",
        abstract: "Add a new signing key; older keys verify until their tokens expire."
    )

    func run() async throws {
        let configuration = try loadConfiguration()
        guard configuration.jwtAlgorithm != .hs256, configuration.jwtPrivateKeyFile == nil else {
            FileHandle.standardError.write(
                Data(
                    "authd: rotate-keys manages database keys; HS256 and AUTH_JWT_PRIVATE_KEY_FILE keys are rotated by changing the configuration\n"
                        .utf8
                )
            )
            throw ExitCode(1)
        }
        try await withRuntime(configuration) { runtime in
            let kid = try await runtime.services.tokens.rotate()
            print("new signing key \(kid)")
        }
    }
}
