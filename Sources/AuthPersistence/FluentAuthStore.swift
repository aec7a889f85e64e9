import AuthCore
import FluentKit
import Foundation
import SQLKit

/// `AuthStore` on FluentKit. Repositories speak SQL through SQLKit: the same statements run on SQLite and
/// PostgreSQL, and the ones that must be atomic (token rotation, revocation) are single statements.
public struct FluentAuthStore: AuthStore {
    enum Source: Sendable {
        case pool(DatabaseService)
        case transaction(any Database)
    }
    let source: Source

    init(service: DatabaseService) { source = .pool(service) }
    init(transaction: any Database) { source = .transaction(transaction) }

    var db: any Database {
        switch source {
        case .pool(let service): return service.database
        case .transaction(let db): return db
        }
    }
    var sql: any SQLDatabase { db as! any SQLDatabase }

    public var users: any UserRepository { SQLUserRepository(sql: sql) }
    public var roles: any RoleRepository { SQLRoleRepository(sql: sql) }
    public var sessions: any SessionRepository { SQLSessionRepository(sql: sql) }
    public var audit: any AuditRepository { SQLAuditRepository(sql: sql) }
    public var serviceClients: any ServiceClientRepository { SQLServiceClientRepository(sql: sql) }
    public var signingKeys: any SigningKeyRepository { SQLSigningKeyRepository(sql: sql) }
    public var loginThrottle: any LoginThrottleRepository { SQLLoginThrottleRepository(db: db) }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any AuthStore) async throws -> T) async throws -> T {
        if case .transaction(let db) = source { return try await body(FluentAuthStore(transaction: db)) }
        return try await db.transaction { tx in try await body(FluentAuthStore(transaction: tx)) }
    }

    public func ping() async throws {
        switch source {
        case .pool(let service): try await service.ping()
        case .transaction(let db): _ = try await (db as! any SQLDatabase).raw("SELECT 1").all()
        }
    }
}

func isUniqueViolation(_ error: any Error) -> Bool {
    (error as? any DatabaseError)?.isConstraintFailure == true
}

// MARK: Users

struct UserRow: Codable, Sendable {
    var id: UUID
    var email: String
    var password_hash: String
    var display_name: String?
    var given_name: String?
    var family_name: String?
    var locale: String?
    var timezone: String?
    var avatar_url: String?
    var is_active: Bool
    var is_verified: Bool
    var created_at: Date
    var updated_at: Date
    var last_login_at: Date?

    init(_ u: User) {
        id = u.id
        email = u.email
        password_hash = u.passwordHash
        display_name = u.profile.displayName
        given_name = u.profile.givenName
        family_name = u.profile.familyName
        locale = u.profile.locale
        timezone = u.profile.timezone
        avatar_url = u.profile.avatarURL
        is_active = u.isActive
        is_verified = u.isVerified
        created_at = u.createdAt
        updated_at = u.updatedAt
        last_login_at = u.lastLoginAt
    }

    func user(roles: [String]) -> User {
        User(id: id, email: email, passwordHash: password_hash,
             profile: UserProfile(displayName: display_name, givenName: given_name, familyName: family_name,
                                  locale: locale, timezone: timezone, avatarURL: avatar_url),
             isActive: is_active, isVerified: is_verified, createdAt: created_at, updatedAt: updated_at,
             lastLoginAt: last_login_at, roles: roles.sorted())
    }
}

struct SQLUserRepository: UserRepository {
    let sql: any SQLDatabase
    static let columns: SQLQueryString = """
        users.id, users.email, users.password_hash, users.display_name, users.given_name, users.family_name, users.locale,
        users.timezone, users.avatar_url, users.is_active, users.is_verified, users.created_at, users.updated_at, users.last_login_at
        """
    /// The expression the PostgreSQL trigram index covers; search must use it verbatim.
    static let searchExpression: SQLQueryString = """
        (lower(users.email) || ' ' || lower(coalesce(users.display_name, '')) || ' ' || lower(coalesce(users.given_name, ''))
         || ' ' || lower(coalesce(users.family_name, '')))
        """

    func create(_ user: User) async throws {
        do {
            try await sql.insert(into: "users").model(UserRow(user)).run()
        } catch where isUniqueViolation(error) {
            throw AuthError.emailTaken
        }
        try await setRoles(userID: user.id, roles: user.roles)
    }

    func roles(of ids: [UUID]) async throws -> [UUID: [String]] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var user_id: UUID; var name: String }
        let rows = try await sql.raw("""
            SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (\(binds: ids))
            """).all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.user_id).mapValues { $0.map(\.name) }
    }

    func find(id: UUID) async throws -> User? {
        guard let row = try await sql.raw("SELECT \(Self.columns) FROM users WHERE users.id = \(bind: id)").first(decoding: UserRow.self)
        else { return nil }
        return row.user(roles: try await roles(of: [row.id])[row.id] ?? [])
    }

    func find(email: String) async throws -> User? {
        guard let row = try await sql.raw("SELECT \(Self.columns) FROM users WHERE users.email = \(bind: email)").first(decoding: UserRow.self)
        else { return nil }
        return row.user(roles: try await roles(of: [row.id])[row.id] ?? [])
    }

    func update(_ user: User) async throws {
        let r = UserRow(user)
        do {
            try await sql.raw("""
                UPDATE users SET email = \(bind: r.email), display_name = \(bind: r.display_name), given_name = \(bind: r.given_name),
                  family_name = \(bind: r.family_name), locale = \(bind: r.locale), timezone = \(bind: r.timezone),
                  avatar_url = \(bind: r.avatar_url), is_active = \(bind: r.is_active), is_verified = \(bind: r.is_verified),
                  updated_at = \(bind: r.updated_at)
                WHERE id = \(bind: r.id)
                """).run()
        } catch where isUniqueViolation(error) {
            throw AuthError.emailTaken
        }
    }

    func updatePasswordHash(userID: UUID, hash: String, at: Date) async throws {
        try await sql.raw("UPDATE users SET password_hash = \(bind: hash), updated_at = \(bind: at) WHERE id = \(bind: userID)").run()
    }

    func setRoles(userID: UUID, roles: [String]) async throws {
        try await sql.raw("DELETE FROM user_roles WHERE user_id = \(bind: userID)").run()
        guard !roles.isEmpty else { return }
        try await sql.raw("""
            INSERT INTO user_roles (user_id, role_id) SELECT \(bind: userID), roles.id FROM roles WHERE roles.name IN (\(binds: roles))
            """).run()
    }

    func delete(id: UUID) async throws -> Bool {
        try await !sql.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").all().isEmpty
    }

    func recordLogin(userID: UUID, at: Date) async throws {
        try await sql.raw("UPDATE users SET last_login_at = \(bind: at) WHERE id = \(bind: userID)").run()
    }

    func list(_ query: UserQuery) async throws -> AuthCore.Page<User> {
        var conditions: [SQLQueryString] = []
        if let search = query.search?.lowercased(), !search.isEmpty {
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            conditions.append("\(Self.searchExpression) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
        }
        if let role = query.role {
            // A semi-join the planner can hash, rather than a probe per user.
            conditions.append("""
                users.id IN (SELECT ur.user_id FROM user_roles ur WHERE ur.role_id IN (SELECT r.id FROM roles r WHERE r.name = \(bind: role)))
                """)
        }
        if let active = query.isActive { conditions.append("users.is_active = \(bind: active)") }
        if let verified = query.isVerified { conditions.append("users.is_verified = \(bind: verified)") }
        if let after = query.createdAfter { conditions.append("users.created_at > \(bind: after)") }
        if let before = query.createdBefore { conditions.append("users.created_at < \(bind: before)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order: SQLQueryString
        switch query.sort {
        case .createdAt: order = "users.created_at ASC, users.id ASC"
        case .createdAtDesc: order = "users.created_at DESC, users.id DESC"
        case .email: order = "users.email ASC"
        case .emailDesc: order = "users.email DESC"
        // Never-logged-in users last either way; NULLS LAST matches the indexes (SQLite ≥ 3.30 and PostgreSQL).
        case .lastLoginAt: order = "users.last_login_at ASC NULLS LAST, users.id ASC"
        case .lastLoginAtDesc: order = "users.last_login_at DESC NULLS LAST, users.id DESC"
        }
        struct Count: Decodable { var count: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS count FROM users" + whereClause).first(decoding: Count.self)?.count ?? 0
        let offset = (query.page - 1) * query.perPage
        let rows = try await sql.raw(
            "SELECT \(Self.columns) FROM users" + whereClause + " ORDER BY " + order
                + " LIMIT \(literal: query.perPage) OFFSET \(literal: offset)"
        ).all(decoding: UserRow.self)
        let roles = try await roles(of: rows.map(\.id))
        return AuthCore.Page(items: rows.map { $0.user(roles: roles[$0.id] ?? []) }, page: query.page, perPage: query.perPage, total: total)
    }

    func superAdminIDs() async throws -> [UUID] {
        let roles = try await SQLRoleRepository(sql: sql).all().filter { $0.permissions.contains("*") }.map(\.name)
        guard !roles.isEmpty else { return [] }
        struct Row: Decodable { var user_id: UUID }
        return try await sql.raw("""
            SELECT DISTINCT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
            WHERE r.name IN (\(binds: roles)) AND u.is_active = \(bind: true)
            """).all(decoding: Row.self).map(\.user_id)
    }

    func permissions(userID: UUID) async throws -> [String] {
        struct Row: Decodable { var permissions: JSONColumn<[String]> }
        let rows = try await sql.raw("""
            SELECT r.permissions FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = \(bind: userID)
            """).all(decoding: Row.self)
        return Permission.union(rows.map(\.permissions.value))
    }
}

// MARK: Roles

struct RoleRow: Codable, Sendable {
    var id: UUID
    var name: String
    var description: String
    var permissions: JSONColumn<[String]>
    var is_system: Bool
    var created_at: Date
    var updated_at: Date
    var role: Role { Role(name: name, description: description, permissions: permissions.value.sorted(), isSystem: is_system) }
}

struct SQLRoleRepository: RoleRepository {
    let sql: any SQLDatabase

    func all() async throws -> [Role] {
        try await sql.raw("SELECT * FROM roles ORDER BY name").all(decoding: RoleRow.self).map(\.role)
    }

    func find(name: String) async throws -> Role? {
        try await sql.raw("SELECT * FROM roles WHERE name = \(bind: name)").first(decoding: RoleRow.self)?.role
    }

    func row(_ role: Role) -> RoleRow {
        RoleRow(id: UUID(), name: role.name, description: role.description, permissions: JSONColumn(role.permissions),
                is_system: role.isSystem, created_at: Date(), updated_at: Date())
    }

    func create(_ role: Role) async throws {
        do {
            try await sql.insert(into: "roles").model(row(role)).run()
        } catch where isUniqueViolation(error) {
            throw AuthError.roleExists
        }
    }

    func update(_ role: Role) async throws {
        try await sql.raw("""
            UPDATE roles SET description = \(bind: role.description), permissions = \(bind: JSONColumn(role.permissions)),
              updated_at = \(bind: Date()) WHERE name = \(bind: role.name)
            """).run()
    }

    func delete(name: String) async throws -> Bool {
        try await !sql.raw("DELETE FROM roles WHERE name = \(bind: name) RETURNING id").all().isEmpty
    }

    func seed(_ roles: [Role]) async throws {
        for role in roles {
            try await sql.insert(into: "roles").model(row(role)).ignoringConflicts(with: ["name"]).run()
        }
    }

    func members(of name: String) async throws -> [UUID] {
        struct Row: Decodable { var user_id: UUID }
        return try await sql.raw("""
            SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = \(bind: name)
            """).all(decoding: Row.self).map(\.user_id)
    }
}

// MARK: Sessions and refresh tokens

struct SessionRow: Codable, Sendable {
    var id: UUID
    var user_id: UUID
    var created_at: Date
    var last_used_at: Date
    var expires_at: Date
    var revoked_at: Date?
    var revoke_reason: String?
    var ip: String?
    var user_agent: String?

    init(_ s: Session) {
        id = s.id
        user_id = s.userID
        created_at = s.createdAt
        last_used_at = s.lastUsedAt
        expires_at = s.expiresAt
        revoked_at = s.revokedAt
        revoke_reason = s.revokeReason
        ip = s.ip
        user_agent = s.userAgent
    }

    var session: Session {
        Session(id: id, userID: user_id, createdAt: created_at, lastUsedAt: last_used_at, expiresAt: expires_at,
                revokedAt: revoked_at, revokeReason: revoke_reason, ip: ip, userAgent: user_agent)
    }
}

struct SQLSessionRepository: SessionRepository {
    let sql: any SQLDatabase

    func create(_ session: Session, refreshTokenHash: String) async throws {
        try await sql.insert(into: "sessions").model(SessionRow(session)).run()
        try await addRefreshToken(sessionID: session.id, hash: refreshTokenHash, parent: nil, at: session.createdAt)
    }

    func find(id: UUID) async throws -> Session? {
        try await sql.raw("SELECT * FROM sessions WHERE id = \(bind: id)").first(decoding: SessionRow.self)?.session
    }

    func list(userID: UUID, activeAt now: Date, idleTimeout: TimeInterval) async throws -> [Session] {
        try await sql.raw("""
            SELECT * FROM sessions WHERE user_id = \(bind: userID) AND revoked_at IS NULL AND expires_at > \(bind: now)
              AND last_used_at > \(bind: now.addingTimeInterval(-idleTimeout)) ORDER BY created_at DESC
            """).all(decoding: SessionRow.self).map(\.session)
    }

    func revoke(id: UUID, reason: String, at: Date) async throws -> Bool {
        try await !sql.raw("""
            UPDATE sessions SET revoked_at = \(bind: at), revoke_reason = \(bind: reason) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """).all().isEmpty
    }

    func revokeAll(userID: UUID, except: UUID?, reason: String, at: Date) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        var query: SQLQueryString = """
            UPDATE sessions SET revoked_at = \(bind: at), revoke_reason = \(bind: reason) WHERE user_id = \(bind: userID) AND revoked_at IS NULL
            """
        if let except { query += " AND id <> \(bind: except)" }
        return try await sql.raw(query + " RETURNING id").all(decoding: Row.self).map(\.id)
    }

    func claimRefreshToken(hash: String, at: Date) async throws -> RefreshTokenRecord? {
        struct Row: Decodable { var id: UUID; var session_id: UUID; var created_at: Date }
        // One statement: of two concurrent claims of the same token, only one sees rotated_at still NULL.
        guard let row = try await sql.raw("""
            UPDATE refresh_tokens SET rotated_at = \(bind: at) WHERE token_hash = \(bind: hash) AND rotated_at IS NULL
            RETURNING id, session_id, created_at
            """).first(decoding: Row.self) else { return nil }
        return RefreshTokenRecord(id: row.id, sessionID: row.session_id, createdAt: row.created_at, rotatedAt: at, replacedBy: nil, successorUnused: false)
    }

    func findRefreshToken(hash: String) async throws -> RefreshTokenRecord? {
        struct Row: Decodable {
            var id: UUID
            var session_id: UUID
            var created_at: Date
            var rotated_at: Date?
            var replaced_by: UUID?
            var successor_rotated_at: Date?
        }
        guard let row = try await sql.raw("""
            SELECT t.id, t.session_id, t.created_at, t.rotated_at, t.replaced_by, s.rotated_at AS successor_rotated_at
            FROM refresh_tokens t LEFT JOIN refresh_tokens s ON s.id = t.replaced_by WHERE t.token_hash = \(bind: hash)
            """).first(decoding: Row.self) else { return nil }
        return RefreshTokenRecord(id: row.id, sessionID: row.session_id, createdAt: row.created_at, rotatedAt: row.rotated_at,
                                  replacedBy: row.replaced_by, successorUnused: row.replaced_by != nil && row.successor_rotated_at == nil)
    }

    func addRefreshToken(sessionID: UUID, hash: String, parent: UUID?, at: Date) async throws {
        let id = UUID()
        try await sql.raw("""
            INSERT INTO refresh_tokens (id, session_id, token_hash, created_at) VALUES (\(bind: id), \(bind: sessionID), \(bind: hash), \(bind: at))
            """).run()
        if let parent {
            try await sql.raw("UPDATE refresh_tokens SET replaced_by = \(bind: id) WHERE id = \(bind: parent)").run()
            try await sql.raw("UPDATE sessions SET last_used_at = \(bind: at) WHERE id = \(bind: sessionID)").run()
        }
    }

    func state(sessionID: UUID) async throws -> SessionState? {
        struct Row: Decodable {
            var id: UUID
            var user_id: UUID
            var created_at: Date
            var last_used_at: Date
            var expires_at: Date
            var revoked_at: Date?
            var revoke_reason: String?
            var ip: String?
            var user_agent: String?
            var email: String
            var is_active: Bool
            var role_name: String?
            var role_permissions: JSONColumn<[String]>?
        }
        // One indexed lookup: the session, its user and the user's roles.
        let rows = try await sql.raw("""
            SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.revoke_reason, s.ip, s.user_agent,
                   u.email, u.is_active, r.name AS role_name, r.permissions AS role_permissions
            FROM sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
            WHERE s.id = \(bind: sessionID)
            """).all(decoding: Row.self)
        guard let first = rows.first else { return nil }
        let session = Session(id: first.id, userID: first.user_id, createdAt: first.created_at, lastUsedAt: first.last_used_at,
                              expiresAt: first.expires_at, revokedAt: first.revoked_at, revokeReason: first.revoke_reason,
                              ip: first.ip, userAgent: first.user_agent)
        return SessionState(session: session, userID: first.user_id, email: first.email, userActive: first.is_active,
                            roles: rows.compactMap(\.role_name).sorted(),
                            permissions: Permission.union(rows.compactMap { $0.role_permissions?.value }))
    }

    func deleteExpired(before: Date) async throws -> Int {
        try await sql.raw("DELETE FROM sessions WHERE expires_at < \(bind: before) RETURNING id").all().count
    }
}

// MARK: Audit

struct AuditRow: Codable, Sendable {
    var id: UUID
    var occurred_at: Date
    var action: String
    var outcome: String
    var actor_id: UUID?
    var user_id: UUID?
    var ip: String?
    var user_agent: String?
    var request_id: String?
    var details: JSONColumn<[String: String]>
}

struct SQLAuditRepository: AuditRepository {
    let sql: any SQLDatabase

    func record(_ e: AuditEvent) async throws {
        try await sql.insert(into: "audit_events").model(AuditRow(
            id: e.id, occurred_at: e.occurredAt, action: e.action, outcome: e.outcome.rawValue, actor_id: e.actorID, user_id: e.userID,
            ip: e.ip, user_agent: e.userAgent, request_id: e.requestID, details: JSONColumn(e.details))).run()
    }

    func list(_ query: AuditQuery) async throws -> AuthCore.Page<AuditEvent> {
        var conditions: [SQLQueryString] = []
        if let user = query.userID { conditions.append("user_id = \(bind: user)") }
        if let action = query.action { conditions.append("action = \(bind: action)") }
        if let outcome = query.outcome { conditions.append("outcome = \(bind: outcome.rawValue)") }
        if let since = query.since { conditions.append("occurred_at >= \(bind: since)") }
        if let until = query.until { conditions.append("occurred_at < \(bind: until)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        struct Count: Decodable { var count: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS count FROM audit_events" + whereClause).first(decoding: Count.self)?.count ?? 0
        let rows = try await sql.raw("SELECT * FROM audit_events" + whereClause
            + " ORDER BY occurred_at DESC, id DESC LIMIT \(literal: query.perPage) OFFSET \(literal: (query.page - 1) * query.perPage)")
            .all(decoding: AuditRow.self)
        let items = rows.map { r in
            AuditEvent(id: r.id, occurredAt: r.occurred_at, action: r.action, outcome: AuditEvent.Outcome(rawValue: r.outcome) ?? .failure,
                       actorID: r.actor_id, userID: r.user_id, ip: r.ip, userAgent: r.user_agent, requestID: r.request_id, details: r.details.value)
        }
        return AuthCore.Page(items: items, page: query.page, perPage: query.perPage, total: total)
    }

    func prune(before: Date) async throws -> Int {
        try await sql.raw("DELETE FROM audit_events WHERE occurred_at < \(bind: before) RETURNING id").all().count
    }
}

// MARK: Service clients

struct ServiceClientRow: Codable, Sendable {
    var id: UUID
    var name: String
    var client_id: String
    var secret_hash: String
    var created_at: Date
    var client: ServiceClient { ServiceClient(id: id, name: name, clientID: client_id, secretHash: secret_hash, createdAt: created_at) }
}

struct SQLServiceClientRepository: ServiceClientRepository {
    let sql: any SQLDatabase

    func create(_ c: ServiceClient) async throws {
        try await sql.insert(into: "service_clients").model(ServiceClientRow(
            id: c.id, name: c.name, client_id: c.clientID, secret_hash: c.secretHash, created_at: c.createdAt)).run()
    }

    func list() async throws -> [ServiceClient] {
        try await sql.raw("SELECT * FROM service_clients ORDER BY created_at, id").all(decoding: ServiceClientRow.self).map(\.client)
    }

    func find(clientID: String) async throws -> ServiceClient? {
        try await sql.raw("SELECT * FROM service_clients WHERE client_id = \(bind: clientID)").first(decoding: ServiceClientRow.self)?.client
    }

    func delete(id: UUID) async throws -> ServiceClient? {
        try await sql.raw("DELETE FROM service_clients WHERE id = \(bind: id) RETURNING *").first(decoding: ServiceClientRow.self)?.client
    }
}

// MARK: Signing keys

struct SQLSigningKeyRepository: SigningKeyRepository {
    let sql: any SQLDatabase
    struct Row: Codable { var kid: String; var algorithm: String; var private_key: String; var created_at: Date }

    func all() async throws -> [SigningKeyRecord] {
        try await sql.raw("SELECT * FROM signing_keys ORDER BY created_at").all(decoding: Row.self).map {
            SigningKeyRecord(kid: $0.kid, algorithm: $0.algorithm, privateKeyPEM: $0.private_key, createdAt: $0.created_at)
        }
    }

    func insert(_ key: SigningKeyRecord) async throws {
        try await sql.insert(into: "signing_keys").model(Row(kid: key.kid, algorithm: key.algorithm, private_key: key.privateKeyPEM,
                                                             created_at: key.createdAt)).run()
    }

    func delete(kid: String) async throws {
        try await sql.raw("DELETE FROM signing_keys WHERE kid = \(bind: kid)").run()
    }
}

// MARK: Login throttling

struct SQLLoginThrottleRepository: LoginThrottleRepository {
    let db: any Database
    struct Row: Codable, Sendable {
        var email_key: String
        var failures: Int
        var window_started_at: Date
        var hour_failures: Int
        var hour_started_at: Date
        var locked_until: Date?
        var state: LoginThrottleState {
            LoginThrottleState(failures: failures, windowStartedAt: window_started_at, hourFailures: hour_failures,
                               hourStartedAt: hour_started_at, lockedUntil: locked_until)
        }
    }

    func state(key: String) async throws -> LoginThrottleState? {
        try await db.sql.raw("SELECT * FROM login_throttle WHERE email_key = \(bind: key)").first(decoding: Row.self)?.state
    }

    func modify(key: String, _ update: @escaping @Sendable (LoginThrottleState?) -> LoginThrottleState) async throws -> LoginThrottleState {
        let body: @Sendable (any Database) async throws -> LoginThrottleState = { tx in
            // Make sure the row exists, then lock it: concurrent failures for one email are counted one by one.
            let epoch = Date(timeIntervalSince1970: 0)
            try await tx.sql.insert(into: "login_throttle").model(Row(email_key: key, failures: 0, window_started_at: epoch, hour_failures: 0,
                                                                     hour_started_at: epoch, locked_until: nil))
                .ignoringConflicts(with: ["email_key"]).run()
            let lock: SQLQueryString = tx.isPostgres ? " FOR UPDATE" : ""
            let current = try await tx.sql.raw("SELECT * FROM login_throttle WHERE email_key = \(bind: key)" + lock).first(decoding: Row.self)
            let previous = current.flatMap { $0.failures == 0 && $0.hour_failures == 0 ? nil : $0.state }
            let next = update(previous)
            try await tx.sql.raw("""
                UPDATE login_throttle SET failures = \(bind: next.failures), window_started_at = \(bind: next.windowStartedAt),
                  hour_failures = \(bind: next.hourFailures), hour_started_at = \(bind: next.hourStartedAt), locked_until = \(bind: next.lockedUntil)
                WHERE email_key = \(bind: key)
                """).run()
            return next
        }
        if db.inTransaction { return try await body(db) }
        return try await db.transaction(body)
    }

    func reset(key: String) async throws {
        try await db.sql.raw("DELETE FROM login_throttle WHERE email_key = \(bind: key)").run()
    }
}
