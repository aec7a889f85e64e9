import AuthCore
import AuthPersistence
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The application and what tests need to reach behind it.
public struct AuthApp: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let services: AuthServices
    public let database: DatabaseService
    /// Every registered route, "METHOD /path".
    public let routes: RouteCatalog
}

/// Metrics go to one process-wide Prometheus registry, bootstrapped once.
public enum AuthMetricsRegistry {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// Builds authd: the database service (migrated and seeded unless `AUTH_AUTO_MIGRATE=false`), the domain
/// services and the router. The executable and the tests both call this.
public func buildApplication(configuration: AuthConfiguration, clock: any AuthClock = SystemClock(), logger: Logger? = nil) async throws -> AuthApp {
    let logger = logger ?? {
        var l = Logger(label: "authd")
        l.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        return l
    }()
    let registry = AuthMetricsRegistry.registry
    let database = try DatabaseService(configuration: configuration, logger: logger)
    let services: AuthServices
    do {
        try await database.configureConnection()
        services = try AuthServices(configuration: configuration, store: database.store(), clock: clock, logger: logger,
                                    bus: PostgresInvalidationBus(database: database))
        if configuration.autoMigrate {
            try await database.migrate(then: { try await services.bootstrap() })
        } else {
            try await database.withStartupLock { _ in try await services.bootstrap() }
        }
    } catch {
        await database.shutdown()
        throw error
    }
    let catalog = RouteCatalog()
    let router = buildRouter(services: services, registry: registry, logger: logger, catalog: catalog)
    let application = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
        services: [database, MaintenanceService(services: services, logger: logger)]
            + [PostgresInvalidationListener(database: database, hub: services.invalidations)].compactMap { $0 },
        logger: logger)
    return AuthApp(application: application, services: services, database: database, routes: catalog)
}

public func buildRouter(services: AuthServices, registry: PrometheusCollectorRegistry, logger: Logger,
                        catalog: RouteCatalog = RouteCatalog()) -> Router<AppRequestContext> {
    let configuration = services.configuration
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMiddleware(trustedProxies: TrustedProxies(entries: configuration.trustedProxies), logger: logger,
                                             catalog: catalog))
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: CORSAllowlistMiddleware(origins: Set(configuration.corsOrigins)))
    }
    OperationsController(services: services, registry: registry).addRoutes(to: Routes(group: router.group(), prefix: "", catalog: catalog))

    let limiter = configuration.rateLimitEnabled ? RateLimiter(clock: services.clock) : nil
    let auth = AuthController(services: services, limiter: limiter, limits: configuration.rateLimits)
    let authGroup = Routes(group: router.group("auth"), prefix: "/auth", catalog: catalog)
    auth.addPublicRoutes(to: authGroup)
    var userGroup = authGroup
    if let limiter {
        userGroup = userGroup.adding(RateLimitMiddleware(limiter: limiter, name: "auth", limit: configuration.rateLimits.other))
    }
    auth.addUserRoutes(to: userGroup.adding(BearerAuthMiddleware(accounts: services.accounts)))

    let adminGroup = Routes(group: router.group("admin"), prefix: "/admin", catalog: catalog)
    AdminController(services: services).addRoutes(to: adminGroup.adding(BearerAuthMiddleware(accounts: services.accounts)))
    return router
}

/// Background upkeep: prunes audit events past retention and sessions long expired, hourly.
struct MaintenanceService: Service, CustomStringConvertible {
    var description: String { "MaintenanceService" }
    let services: AuthServices
    let logger: Logger

    func run() async throws {
        // Ends quietly on graceful shutdown: being cancelled mid-sleep is the normal way out.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.runOnce()
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func runOnce() async {
        let now = services.clock.now()
        do {
            let retention = TimeInterval(services.configuration.auditRetentionDays) * 86_400
            let pruned = try await services.store.audit.prune(before: now.addingTimeInterval(-retention))
            let expired = try await services.store.sessions.deleteExpired(before: now.addingTimeInterval(-86_400))
            if pruned > 0 || expired > 0 {
                logger.info("maintenance", metadata: ["audit_events_pruned": .stringConvertible(pruned), "sessions_deleted": .stringConvertible(expired)])
            }
        } catch {
            logger.warning("maintenance failed", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
        }
    }
}
