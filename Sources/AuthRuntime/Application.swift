import AuthCore
import AuthHTTP
import AuthMail
import AuthPersistence
import Hummingbird
import Logging
import Metrics
import Prometheus

/// The application and what tests need to reach behind it.
public struct AuthApp: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let runtime: AuthRuntime
    /// Every registered route, "METHOD /path".
    public let routes: RouteCatalog

    public var services: AuthServices { runtime.services }
    public var database: DatabaseService { runtime.database }
}

/// Metrics go to one process-wide Prometheus registry, bootstrapped once.
public enum AuthMetricsRegistry {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// Builds authd: the runtime (database migrated and seeded unless `AUTH_AUTO_MIGRATE=false`, services,
/// background work) and the HTTP server over it. The executable and the tests both call this.
public func buildApplication(
    configuration: AuthConfiguration,
    clock: any AuthClock = SystemClock(),
    logger: Logger? = nil,
    passwordHasher: (any PasswordHasher)? = nil,
    mailTransport: (any MailTransport)? = nil
) async throws -> AuthApp {
    let logger =
        logger
        ?? {
            var logger = Logger(label: "authd")
            logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            return logger
        }()
    let registry = AuthMetricsRegistry.registry
    // Before anything opens: a certificate or key that cannot be read is a configuration error, not a crash later.
    let transport = try ServerTransport(configuration: configuration)
    let runtime = try await AuthRuntime.start(
        configuration: configuration,
        clock: clock,
        logger: logger,
        passwordHasher: passwordHasher,
        mailTransport: mailTransport
    )
    let catalog = RouteCatalog()
    let router = buildRouter(services: runtime.services, registry: registry, catalog: catalog)
    // Slow clients time out, connections beyond the cap are refused, and with a certificate the server speaks TLS
    // (HTTP/2 by ALPN), reloading it on SIGHUP.
    var services = runtime.backgroundServices
    if configuration.network.tlsEnabled { services.append(TLSReloadService(transport: transport, logger: logger)) }
    services.append(OpenFileWatcher(logger: logger))
    let application = Application(
        router: router,
        server: transport.builder,
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
        services: services,
        logger: logger
    )
    return AuthApp(application: application, runtime: runtime, routes: catalog)
}
