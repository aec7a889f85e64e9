import Foundation
import Logging

/// The domain's object graph, built once from the configuration and a store. Each service gets only the
/// collaborators it uses; this is the one place that knows them all.
public struct AuthServices: Sendable, CustomStringConvertible {
    public var description: String { "AuthServices" }
    public let configuration: AuthConfiguration
    public let store: any AuthStore
    public let clock: any AuthClock
    public let logger: Logger
    public let invalidations: InvalidationHub
    /// Places in the bcrypt queue: login, registration and password routes take one first (`HashAdmission`).
    public let hashAdmission: HashAdmission
    /// The bounded caches, for `authd_cache_entries` and `authd_cache_capacity`.
    public let caches: [CacheGauge]

    public let tokens: AccessTokenService
    public let authenticator: SessionAuthenticator
    public let login: LoginService
    public let refresh: RefreshService
    public let sessions: SessionService
    public let accounts: AccountService
    public let introspection: IntrospectionService
    public let clientAuthenticator: ServiceClientAuthenticator
    public let adminUsers: AdminUserService
    public let roles: RoleAdminService
    public let serviceClients: ServiceClientAdminService
    public let personalTokens: PersonalAccessTokenService
    public let mfa: MFAService
    public let auditTrail: AuditTrailService
    public let mailer: Mailer
    /// Keyed hashes under the server's key (mailed codes; the console's CSRF tokens).
    public let keyedHashes: EmailCodeHasher
    public let emails: EmailFlowService
    let factory: NewUserFactory
    public let auditLog: AuditLog

    /// `passwordHasher` replaces bcrypt (tests wrap it to see which hashes are compared).
    public init(
        configuration c: AuthConfiguration,
        store: any AuthStore,
        clock: any AuthClock = SystemClock(),
        logger: Logger,
        passwordHasher: (any PasswordHasher)? = nil
    ) throws {
        configuration = c
        self.store = store
        self.clock = clock
        self.logger = logger
        let bcrypt = BcryptPasswordHasher(
            cost: c.bcryptCost,
            threads: c.hashThreads > 0 ? c.hashThreads : BcryptPasswordHasher.defaultThreads,
            maxQueueWait: TimeInterval(c.hashQueueMaxWaitMilliseconds) / 1000
        )
        self.hashAdmission = bcrypt.admission
        let budget = CacheBudget(megabytes: c.cacheMemoryMegabytes)
        let hasher = passwordHasher ?? bcrypt
        let policy = try PasswordPolicy(blocklistFile: c.passwordBlocklistFile)
        let throttle = LoginThrottle(maxFailures: c.loginMaxFailures, lockoutSeconds: c.loginLockoutSeconds)
        let audit = AuditLog(clock: clock, logger: logger)
        let hub = InvalidationHub(
            ttl: TimeInterval(c.stateCacheTTLMilliseconds) / 1000,
            notifiedTTL: TimeInterval(c.stateCacheNotifiedTTLMilliseconds) / 1000
        )
        let cache = SessionStateCache(hub: hub, capacity: budget.sessionStates)
        let delegation = DelegationGuard(store: store, audit: audit)
        let secretBox = try c.secretBox()
        let mailer = Mailer(settings: c.mail, publicBaseURL: c.publicBaseURL, clock: clock, secretBox: secretBox)
        let keyedHashes = EmailCodeHasher(store: store, secretBox: secretBox)
        self.keyedHashes = keyedHashes
        let mailed = MailedTokens(
            mailer: mailer,
            codes: keyedHashes,
            audit: audit,
            clock: clock
        )
        self.mailer = mailer
        let factory = NewUserFactory(hasher: hasher, policy: policy, clock: clock)
        let tokens = AccessTokenService(
            settings: .init(c),
            store: store,
            clock: clock,
            secretBox: try c.secretBox(),
            cacheCapacity: budget.verifiedTokens
        )
        let starter = SessionStarter(
            store: store,
            tokens: tokens,
            audit: audit,
            clock: clock,
            refreshTokenTTL: c.refreshTokenTTL,
            invalidations: hub
        )
        let authenticator = SessionAuthenticator(
            tokens: tokens,
            sessions: store.sessions,
            cache: cache,
            clock: clock,
            idleTimeout: TimeInterval(c.sessionIdleTimeout)
        )
        let personalTokenCache = PersonalTokenCache(hub: hub, capacity: budget.personalTokens)
        let clientAuthenticator = ServiceClientAuthenticator(store: store, clock: clock, hub: hub, audit: audit)
        let personalTokens = PersonalAccessTokenService(
            settings: .init(c),
            store: store,
            cache: personalTokenCache,
            delegation: delegation,
            audit: audit,
            clock: clock
        )
        self.personalTokens = personalTokens
        self.invalidations = hub
        self.auditLog = audit
        self.factory = factory
        self.tokens = tokens
        self.authenticator = authenticator
        self.clientAuthenticator = clientAuthenticator
        self.login = LoginService(
            store: store,
            hasher: hasher,
            dummyHash: bcrypt.dummyHash,
            throttle: throttle,
            audit: audit,
            clock: clock,
            starter: starter,
            requireVerifiedEmail: c.mail.verificationRequired
        )
        let profiles = ProfileCache(hub: hub, capacity: budget.profiles)
        self.refresh = RefreshService(
            store: store,
            starter: starter,
            cache: cache,
            profiles: profiles,
            audit: audit,
            clock: clock,
            idleTimeout: c.sessionIdleTimeout,
            reuseGrace: c.refreshReuseGrace,
            logger: logger
        )
        self.sessions = SessionService(
            store: store,
            cache: cache,
            audit: audit,
            clock: clock,
            idleTimeout: c.sessionIdleTimeout,
            delegation: delegation
        )
        self.accounts = AccountService(
            store: store,
            factory: factory,
            hasher: hasher,
            policy: policy,
            throttle: throttle,
            cache: cache,
            audit: audit,
            clock: clock,
            mail: mailed,
            profiles: profiles
        )
        self.mfa = MFAService(
            store: store,
            accounts: self.accounts,
            starter: starter,
            throttle: throttle,
            delegation: delegation,
            cache: cache,
            audit: audit,
            clock: clock,
            secretBox: secretBox,
            issuer: c.mfaIssuer,
            mailer: mailer
        )
        self.introspection = IntrospectionService(
            authenticator: authenticator,
            personalTokens: personalTokens,
            issuer: c.issuer,
            audience: c.audience
        )
        self.adminUsers = AdminUserService(
            store: store,
            factory: factory,
            hasher: hasher,
            policy: policy,
            cache: cache,
            audit: audit,
            clock: clock,
            delegation: delegation,
            mail: mailed
        )
        self.emails = EmailFlowService(
            store: store,
            tokens: mailed,
            hasher: hasher,
            policy: policy,
            cache: cache,
            audit: audit,
            clock: clock,
            delegation: delegation
        )
        self.roles = RoleAdminService(store: store, cache: cache, audit: audit, delegation: delegation)
        self.serviceClients = ServiceClientAdminService(
            store: store,
            authenticator: clientAuthenticator,
            audit: audit,
            clock: clock
        )
        self.auditTrail = AuditTrailService(events: store.audit)
        caches = [
            CacheGauge(name: "session_state", capacity: cache.capacity) { cache.count },
            CacheGauge(name: "verified_token", capacity: tokens.verifiedTokenCapacity) { tokens.verifiedTokensCached },
            CacheGauge(name: "profile", capacity: profiles.capacity) { profiles.count },
            CacheGauge(name: "personal_token", capacity: personalTokenCache.capacity) { personalTokenCache.count },
        ]
    }

    /// Seeds roles, loads (or creates) signing keys and creates the bootstrap admin when configured.
    /// Safe when several instances start at once on one database.
    public func bootstrap() async throws {
        try await store.roles.seed(Role.seeded)
        try await tokens.start()
        if let email = configuration.bootstrapAdminEmail, let password = configuration.bootstrapAdminPassword {
            do {
                try await ensureAdmin(email: email, password: password)
            } catch let error as AuthError where error.kind == .invalid {
                let field = error.fieldErrors.first
                throw ConfigurationError(
                    variable: field?.field == "email" ? "AUTH_BOOTSTRAP_ADMIN_EMAIL" : "AUTH_BOOTSTRAP_ADMIN_PASSWORD",
                    message: field?.message ?? error.detail
                )
            }
        }
    }

    /// Creates an admin unless some user already holds the admin role. Returns whether it created one.
    @discardableResult
    public func ensureAdmin(email: String, password: String, force: Bool = false) async throws -> Bool {
        if !force, try await !store.roles.members(of: Role.admin.name).isEmpty { return false }
        let user = try await factory.make(
            email: email,
            password: password,
            profile: ProfileChanges(displayName: "Administrator"),
            roles: [Role.admin.name, Role.user.name],
            isVerified: true
        )
        do {
            try await store.transaction { tx in
                try await tx.users.create(user)
                let event = self.auditLog.event(
                    "user.created",
                    .success,
                    user: user.id,
                    meta: RequestMeta(),
                    details: ["roles": "admin,user", "via": "bootstrap"]
                )
                try await self.auditLog.record(event, in: tx)
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
