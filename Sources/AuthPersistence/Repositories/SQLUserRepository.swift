import AuthCore
import Foundation
import SQLKit

/// Users and their roles (`users`, `user_roles`).
struct SQLUserRepository: UserRepository {
    let sql: StoreDatabase
    static let columns: SQLQueryString = """
        users.id, users.email, users.password_hash, users.display_name, users.given_name, users.family_name, users.locale,
        users.timezone, users.avatar_url, users.is_active, users.is_verified, users.created_at, users.updated_at, users.last_login_at
        """

    func create(_ user: User) async throws {
        do {
            try await sql.insert(into: "users").model(UserRow(user)).run()
        } catch  where isUniqueViolation(error) {
            throw AuthError.emailTaken
        }
        try await setRoles(userID: user.id, roles: user.roles)
    }

    func roles(of ids: [UUID]) async throws -> [UUID: [String]] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable {
            var user_id: UUID
            var name: String
        }
        let rows = try await sql.raw(
            """
            SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (\(binds: ids))
            """
        ).all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.user_id).mapValues { $0.map(\.name) }
    }

    func find(id: UUID) async throws -> User? {
        try await withRoles(
            sql.raw("SELECT \(Self.columns) FROM users WHERE users.id = \(bind: id)").first(decoding: UserRow.self)
        )
    }

    func find(email: String) async throws -> User? {
        try await withRoles(
            sql.raw("SELECT \(Self.columns) FROM users WHERE users.email = \(bind: email)").first(
                decoding: UserRow.self
            )
        )
    }

    private func withRoles(_ row: UserRow?) async throws -> User? {
        guard let row else { return nil }
        return row.user(roles: try await roles(of: [row.id])[row.id] ?? [])
    }

    func update(_ id: UUID, _ changes: UserChanges) async throws {
        let update = sql.update("users").set("updated_at", to: changes.updatedAt)
        if let email = changes.email { update.set("email", to: email) }
        let profile = changes.profile
        for (column, change) in [
            ("display_name", profile.displayName), ("given_name", profile.givenName),
            ("family_name", profile.familyName), ("locale", profile.locale), ("timezone", profile.timezone),
            ("avatar_url", profile.avatarURL),
        ] {
            if case .some(let value) = change { update.set(SQLIdentifier(column), to: value) }
        }
        if let isActive = changes.isActive { update.set("is_active", to: isActive) }
        if let isVerified = changes.isVerified { update.set("is_verified", to: isVerified) }
        do {
            try await update.where("id", .equal, id).run()
        } catch  where isUniqueViolation(error) {
            throw AuthError.emailTaken
        }
    }

    func updatePasswordHash(userID: UUID, hash: String, at: Date) async throws {
        try await sql.raw(
            "UPDATE users SET password_hash = \(bind: hash), updated_at = \(bind: at) WHERE id = \(bind: userID)"
        ).run()
    }

    func replacePasswordHash(userID: UUID, expected: String, with hash: String) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE users SET password_hash = \(bind: hash)
            WHERE id = \(bind: userID) AND password_hash = \(bind: expected) RETURNING id
            """
        ).all().isEmpty
    }

    func setRoles(userID: UUID, roles: [String]) async throws {
        try await sql.raw("DELETE FROM user_roles WHERE user_id = \(bind: userID)").run()
        guard !roles.isEmpty else { return }
        try await sql.raw(
            """
            INSERT INTO user_roles (user_id, role_id) SELECT \(bind: userID), roles.id FROM roles WHERE roles.name IN (\(binds: roles))
            """
        ).run()
    }

    func delete(id: UUID) async throws -> Bool {
        try await !sql.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").all().isEmpty
    }

    func recordLogin(userID: UUID, at: Date) async throws {
        try await sql.raw("UPDATE users SET last_login_at = \(bind: at) WHERE id = \(bind: userID)").run()
    }

    func list(_ query: UserQuery) async throws -> AuthCore.Page<User> {
        var conditions: [SQLQueryString] = []
        if let search = query.search, !search.isEmpty { conditions.append(UserSearch.condition(containing: search)) }
        if let role = query.role {
            // The role's id as a value, not a subquery: PostgreSQL plans with it, so its statistics tell a role
            // most users hold (walk users in the page's order, probing user_roles) from a rare one (start from
            // user_roles). Behind a subquery it guessed a few rows and hashed every user (bench/admin-users).
            guard let roleID = try await roleID(named: role) else {
                return AuthCore.Page(
                    items: [],
                    page: query.page,
                    perPage: query.perPage,
                    total: 0,
                    totalIsEstimate: false
                )
            }
            conditions.append(
                "EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = users.id AND ur.role_id = \(bind: roleID))"
            )
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
        // Never-logged-in users last either way (NULLS LAST: SQLite 3.30 or later, PostgreSQL). On PostgreSQL
        // users_last_login_at_idx and users_last_login_at_desc_idx hold the users in these orders.
        case .lastLoginAt: order = "users.last_login_at ASC NULLS LAST, users.id ASC"
        case .lastLoginAtDesc: order = "users.last_login_at DESC NULLS LAST, users.id DESC"
        }
        let (total, estimated) = try await count(whereClause)
        let offset = (query.page - 1) * query.perPage
        let rows = try await sql.raw(
            "SELECT \(Self.columns) FROM users" + whereClause + " ORDER BY " + order
                + " LIMIT \(literal: query.perPage) OFFSET \(literal: offset)"
        ).all(decoding: UserRow.self)
        let roles = try await roles(of: rows.map(\.id))
        return AuthCore.Page(
            items: rows.map { $0.user(roles: roles[$0.id] ?? []) },
            page: query.page,
            perPage: query.perPage,
            total: total,
            totalIsEstimate: estimated
        )
    }

    private func roleID(named name: String) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await sql.raw("SELECT id FROM roles WHERE name = \(bind: name)").first(decoding: Row.self)?.id
    }

    /// The matches, counted up to `Page.exactTotalLimit` (a count that stops there reads at most that many rows);
    /// past it, on PostgreSQL, the planner's estimate for the query, never below the limit. SQLite counts exactly.
    private func count(_ whereClause: SQLQueryString) async throws -> (Int, Bool) {
        guard sql.isPostgres else {
            return (try await sql.count("SELECT COUNT(*) AS count FROM users" + whereClause), false)
        }
        let limit = AuthCore.Page<User>.exactTotalLimit
        let capped = try await sql.count(
            "SELECT COUNT(*) AS count FROM (SELECT 1 FROM users" + whereClause
                + " LIMIT \(literal: limit + 1)) AS matches"
        )
        guard capped > limit else { return (capped, false) }
        let explained = try await sql.raw("EXPLAIN (FORMAT JSON) SELECT 1 FROM users" + whereClause).first()
        let plans = try explained?.decode(column: "QUERY PLAN", as: [ExplainedPlan].self)
        return (max(limit + 1, Int(plans?.first?.plan.rows ?? 0)), true)
    }

    /// One statement of `EXPLAIN (FORMAT JSON)`: the top node's estimated rows.
    struct ExplainedPlan: Decodable {
        struct Node: Decodable {
            var rows: Double
            enum CodingKeys: String, CodingKey { case rows = "Plan Rows" }
        }
        var plan: Node
        enum CodingKeys: String, CodingKey { case plan = "Plan" }
    }

    func lockSuperAdminChanges() async throws {
        // SQLite needs none: its single connection runs one transaction at a time.
        guard sql.isPostgres else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.superAdminLockKey))").run()
    }

    /// The advisory lock's key: any constant no other lock of this database uses.
    static let superAdminLockKey: Int64 = 0x6175_7468_6400_0001

    func superAdminIDs() async throws -> [UUID] {
        let roles = try await SQLRoleRepository(sql: sql).all().filter { $0.permissions.contains("*") }.map(\.name)
        guard !roles.isEmpty else { return [] }
        struct Row: Decodable { var user_id: UUID }
        return try await sql.raw(
            """
            SELECT DISTINCT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
            WHERE r.name IN (\(binds: roles)) AND u.is_active = \(bind: true)
            """
        ).all(decoding: Row.self).map(\.user_id)
    }

    func permissions(userID: UUID) async throws -> [String] {
        struct Row: Decodable { var permissions: JSONColumn<[String]> }
        let rows = try await sql.raw(
            """
            SELECT r.permissions FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = \(bind: userID)
            """
        ).all(decoding: Row.self)
        return Permission.union(rows.map(\.permissions.value))
    }

    func permissions(userID: UUID, assurance aal: Int) async throws -> [String] {
        struct Row: Decodable {
            var permissions: JSONColumn<[String]>
            var requires_mfa: Bool
        }
        let rows = try await sql.raw(
            """
            SELECT r.permissions, r.requires_mfa FROM user_roles ur JOIN roles r ON r.id = ur.role_id
            WHERE ur.user_id = \(bind: userID)
            """
        ).all(decoding: Row.self)
        return Permission.union(rows.filter { aal >= 2 || !$0.requires_mfa }.map(\.permissions.value))
    }
}
