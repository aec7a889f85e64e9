import AuthCore
import Hummingbird
import Logging
import Prometheus

/// The routes of authd over the domain services, with their middleware. The composition root (AuthRuntime)
/// serves it; tests drive it directly.
public func buildRouter(
    services: AuthServices,
    registry: PrometheusCollectorRegistry,
    catalog: RouteCatalog = RouteCatalog()
) -> Router<AppRequestContext> {
    let configuration = services.configuration
    let router = Router(context: AppRequestContext.self)
    router.add(
        middleware: RequestEnvelopeMiddleware(
            trustedProxies: TrustedProxies(entries: configuration.trustedProxies),
            catalog: catalog,
            strictTransportSecurity: configuration.network.tlsEnabled
        )
    )
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: CORSAllowlistMiddleware(origins: Set(configuration.corsOrigins)))
    }
    OperationsController(services: services, registry: registry).addRoutes(to: router.group())

    let limiter = configuration.rateLimitEnabled ? RateLimiter(clock: services.clock) : nil
    let limits = configuration.rateLimits
    let auth = router.group("auth")
    func limited(_ name: String, _ limit: Int) -> RouterGroup<AppRequestContext> {
        guard let limiter else { return auth.group() }
        return auth.group().add(
            middleware: RateLimitMiddleware(
                limiter: limiter,
                name: name,
                limit: limit,
                audit: services.auditLog,
                store: services.store
            )
        )
    }
    // Routes that hash a password take a place in the bcrypt queue after the rate limit (admission control).
    let admission = HashAdmissionMiddleware(admission: services.hashAdmission)
    AuthController(accounts: services.accounts, login: services.login, refresh: services.refresh).addRoutes(
        register: limited("register", limits.register).add(middleware: admission),
        login: limited("login", limits.login).add(middleware: admission),
        refresh: limited("refresh", limits.refresh)
    )
    // /auth/verify is limited per service client, inside the handler.
    VerifyController(
        clients: services.clientAuthenticator,
        introspection: services.introspection,
        limiter: limiter,
        perClientLimit: limits.verifyPerClient,
        failureLimit: limits.verifyFailures,
        audit: services.auditLog,
        store: services.store
    ).addRoutes(to: auth)
    let bearer = BearerAuthMiddleware(authenticator: services.authenticator, personalTokens: services.personalTokens)
    let signedIn = limited("auth", limits.other).add(middleware: bearer)
    AccountController(accounts: services.accounts).addRoutes(
        to: signedIn,
        hashing: signedIn.group().add(middleware: admission)
    )
    SessionController(sessions: services.sessions).addRoutes(to: signedIn)
    PersonalTokenController(tokens: services.personalTokens).addRoutes(to: signedIn)
    let mfa = MFAController(mfa: services.mfa)
    mfa.addRoutes(signedIn: signedIn, login: limited("login", limits.login).add(middleware: admission))
    let email = EmailController(emails: services.emails, outbox: services.store.outbox)
    email.addRoutes(
        signedIn: limited("mail", limits.mail).add(middleware: bearer),
        requests: limited("mail", limits.mail),
        // Redeeming a link or a code shares the login budget: each guess is one request.
        codes: limited("login", limits.login).add(middleware: admission)
    )
    // The admin console (HTML, its own CSRF and cookie session over the same services).
    if let console = try? ConsoleController(services: services) {
        var posts = router.group()
        if let limiter {
            posts = posts.add(
                middleware: RateLimitMiddleware(
                    limiter: limiter,
                    name: "console",
                    limit: limits.other,
                    audit: services.auditLog,
                    store: services.store
                )
            )
        }
        console.addRoutes(to: router, posts: posts)
    }
    // The pages the mailed links open; a page that fails to build is a bug, not a reason to serve nothing else.
    if let pages = try? LinkPagesController(publicBaseURL: configuration.publicBaseURL) {
        pages.addRoutes(to: router)
    }

    let admin = router.group("admin").add(middleware: bearer)
    func requiring(_ permission: String) -> RouterGroup<AppRequestContext> {
        admin.group().add(
            middleware: RequirePermission(permission: permission, audit: services.auditLog, store: services.store)
        )
    }
    AdminUserController(users: services.adminUsers, sessions: services.sessions).addRoutes(requiring: requiring)
    AdminRoleController(roles: services.roles).addRoutes(requiring: requiring)
    AdminServiceClientController(clients: services.serviceClients).addRoutes(requiring: requiring)
    AdminAuditController(auditTrail: services.auditTrail).addRoutes(requiring: requiring)
    AdminPersonalTokenController(tokens: services.personalTokens).addRoutes(requiring: requiring)
    mfa.addAdminRoutes(requiring: requiring)
    email.addAdminRoutes(requiring: requiring)
    catalog.fill(from: router)
    return router
}
