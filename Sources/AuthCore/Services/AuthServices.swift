import Foundation
import Logging

/// The domain's object graph, built once from the configuration and a store.
public struct AuthServices: Sendable, CustomStringConvertible {
    public var description: String { "AuthServices" }
    public let configuration: AuthConfiguration
    public let store: any AuthStore
    public let clock: any AuthClock
    public let tokens: AccessTokenService
    public let accounts: AccountService
    public let admin: AdminService
    public let introspection: IntrospectionService
    public let clients: ServiceClientAuthenticator
    public let hasher: BcryptPasswordHasher
    public let logger: Logger

    public let invalidations: InvalidationHub

    /// `bus` carries cache invalidations to the other instances (PostgreSQL LISTEN/NOTIFY); nil on SQLite.
    /// `passwordHasher` replaces bcrypt for the accounts (tests wrap it to see which hashes are compared).
    public init(configuration: AuthConfiguration, store: any AuthStore, clock: any AuthClock = SystemClock(), logger: Logger,
                bus: (any CacheInvalidationBus)? = nil, passwordHasher: (any PasswordHasher)? = nil) throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
        let hasher = BcryptPasswordHasher(cost: configuration.bcryptCost)
        self.hasher = hasher
        self.tokens = AccessTokenService(settings: .init(configuration), store: store, clock: clock)
        let hub = InvalidationHub(bus: bus, ttl: TimeInterval(configuration.stateCacheTTLMilliseconds) / 1000,
                                  notifiedTTL: TimeInterval(configuration.stateCacheNotifiedTTLMilliseconds) / 1000)
        self.invalidations = hub
        self.accounts = AccountService(
            store: store, tokens: tokens, hasher: passwordHasher ?? hasher, dummyHash: hasher.dummyHash,
            policy: try PasswordPolicy(blocklistFile: configuration.passwordBlocklistFile),
            throttle: LoginThrottle(maxFailures: configuration.loginMaxFailures, lockoutSeconds: configuration.loginLockoutSeconds),
            cache: SessionStateCache(hub: hub), audit: AuditLog(clock: clock, logger: logger), clock: clock,
            settings: .init(configuration), logger: logger)
        self.clients = ServiceClientAuthenticator(store: store, clock: clock, hub: hub)
        self.admin = AdminService(accounts: accounts, clientAuthenticator: clients)
        self.introspection = IntrospectionService(accounts: accounts)
    }

    /// Seeds roles, loads (or creates) signing keys and creates the bootstrap admin when configured.
    /// Safe when several instances start at once on one database.
    public func bootstrap() async throws {
        try await store.roles.seed(Role.seeded)
        try await tokens.start()
        if let email = configuration.bootstrapAdminEmail, let password = configuration.bootstrapAdminPassword {
            do {
                try await ensureAdmin(email: email, password: password)
            } catch let error as AuthError where error.status == 422 {
                let field = error.fieldErrors.first
                throw ConfigurationError(variable: field?.field == "email" ? "AUTH_BOOTSTRAP_ADMIN_EMAIL" : "AUTH_BOOTSTRAP_ADMIN_PASSWORD",
                                         message: field?.message ?? error.detail)
            }
        }
    }

    /// Creates an admin unless some user already holds the admin role. Returns whether it created one.
    @discardableResult
    public func ensureAdmin(email: String, password: String, force: Bool = false) async throws -> Bool {
        if !force, try await !store.roles.members(of: Role.admin.name).isEmpty { return false }
        let user = try await accounts.newUser(email: email, password: password, profile: ProfileChanges(displayName: "Administrator"),
                                              roles: [Role.admin.name, Role.user.name], isVerified: true)
        do {
            try await store.transaction { tx in
                try await tx.users.create(user)
                try await tx.audit.record(self.accounts.audit.event("user.created", .success, user: user.id, meta: RequestMeta(),
                                                                      details: ["roles": "admin,user", "via": "bootstrap"]))
            }
        } catch let error as AuthError where error == .emailTaken {
            // Another instance created it first, or the email belongs to a user already: leave it be.
            logger.notice("bootstrap admin not created: the email already has an account")
            return false
        }
        logger.notice("bootstrap admin created")
        return true
    }
}
