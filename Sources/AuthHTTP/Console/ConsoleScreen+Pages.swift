import AuthCore
import Foundation
import Hummingbird

/// The dashboard and the user pages.
extension ConsoleScreen {
    func dashboard() async throws -> Response {
        let store = services.store
        let now = services.clock.now()
        var values = base("Dashboard")
        var users = UserQuery()
        users.perPage = 1
        // The figures follow the permissions: users, sessions and lockouts with users:read, logins with audit:read.
        guard can(Permission.usersRead) || can(Permission.auditRead) else {
            values["users"] = "–"
            values["sessions"] = "–"
            values["lockouts"] = "–"
            values["logins"] = "–"
            values["failures"] = "–"
            values["chart"] = "<p>Your account holds no permission that the console's pages show.</p>"
            return page("dashboard", values)
        }
        let readsUsers = can(Permission.usersRead)
        values["users"] = readsUsers ? String(try await store.users.list(users).total) : "–"
        values["sessions"] =
            readsUsers
            ? String(
                try await store.sessions.countLive(
                    at: now,
                    idleTimeout: TimeInterval(services.configuration.sessionIdleTimeout)
                )
            ) : "–"
        values["lockouts"] = readsUsers ? String(try await store.loginThrottle.countLocked(at: now)) : "–"
        guard can(Permission.auditRead) else {
            values["logins"] = "–"
            values["failures"] = "–"
            values["chart"] = "<p>The login chart needs the permission audit:read.</p>"
            return page("dashboard", values)
        }
        // Hourly counts of the last 24 hours, oldest first, from the audit trail.
        var logins: [Int] = []
        var failures: [Int] = []
        let start = now.addingTimeInterval(-24 * 3_600)
        for hour in 0..<24 {
            var query = AuditQuery()
            query.perPage = 1
            query.since = start.addingTimeInterval(TimeInterval(hour * 3_600))
            query.until = start.addingTimeInterval(TimeInterval((hour + 1) * 3_600))
            query.action = "login.succeeded"
            logins.append(try await store.audit.list(query).total)
            query.action = "login.failed"
            failures.append(try await store.audit.list(query).total)
        }
        values["logins"] = logins.reduce(0, +)
        values["failures"] = failures.reduce(0, +)
        values["chart"] = ConsoleChart.svg(logins: logins, failures: failures)
        return page("dashboard", values)
    }

    func users() async throws -> Response {
        if let refused = await require(Permission.usersRead) { return refused }
        var query = UserQuery()
        query.search = input["q"]
        query.role = input["role"]
        query.isActive = input["active"].flatMap(Bool.init)
        query.isVerified = input["verified"].flatMap(Bool.init)
        query.createdAfter = input["created_after"].flatMap(Self.day)
        query.createdBefore = input["created_before"].flatMap(Self.day)
        query.sort = input["sort"].flatMap(UserQuery.Sort.init(rawValue:)) ?? .createdAtDesc
        query.page = max(1, min(1_000_000, input["page"].flatMap { Int($0) } ?? 1))
        query.perPage = 25
        let result = try await services.adminUsers.list(query)
        let roles = try await services.roles.roles()
        var values = base("Users")
        values["q"] = query.search
        values["created_after"] = input["created_after"]
        values["created_before"] = input["created_before"]
        values["can_write"] = can(Permission.usersWrite)
        values["roles"] = roles.map { ["name": $0.name, "selected": $0.name == query.role] as [String: Any] }
        values["active_options"] = Self.options(
            [("", "any"), ("true", "active"), ("false", "disabled")],
            input["active"]
        )
        values["verified_options"] = Self.options([("", "any"), ("true", "yes"), ("false", "no")], input["verified"])
        values["sort_options"] = Self.options(
            [
                ("-created_at", "newest first"), ("created_at", "oldest first"), ("email", "email A–Z"),
                ("-email", "email Z–A"), ("-last_login_at", "last login"),
            ],
            query.sort.rawValue
        )
        values["total"] = result.total
        let pages = max(1, (result.total + query.perPage - 1) / query.perPage)
        values["page"] = query.page
        values["pages"] = pages
        values["items"] = result.items.map { item -> [String: Any] in
            [
                "id": item.user.id.uuidString.lowercased(), "email": item.user.email,
                "name": item.user.profile.displayName ?? "", "roles": item.user.roles.joined(separator: ", "),
                "status": item.user.isActive ? "active" : "disabled", "created": Self.date(item.user.createdAt),
                "last_login": Self.date(item.user.lastLoginAt),
            ]
        }
        if query.page > 1 { values["prev"] = pageLink(query.page - 1) }
        if query.page < pages { values["next"] = pageLink(query.page + 1) }
        return page("users", values)
    }

    /// The same list with another page number.
    func pageLink(_ page: Int) -> String {
        var items: [URLQueryItem] = []
        for key in ["q", "role", "active", "verified", "created_after", "created_before", "sort"] {
            if let value = input[key] { items.append(URLQueryItem(name: key, value: value)) }
        }
        items.append(URLQueryItem(name: "page", value: String(page)))
        var components = URLComponents()
        components.path = "/console/users"
        components.queryItems = items
        return components.string ?? "/console/users"
    }

    static func options(_ choices: [(String, String)], _ current: String?) -> [[String: Any]] {
        choices.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (current ?? "")] }
    }

    static func day(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }

    func newUser(errors: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        guard can(Permission.usersWrite) else { return denied("This needs the permission users:write.") }
        var values = base("New user")
        values["email"] = input["email"]
        values["display_name"] = input["display_name"]
        values["errors"] = errors
        if let form = errors["form"] { values["flash_error"] = form }
        return page("new-user", values, status: status)
    }

    func user(_ rawID: String) async throws -> Response {
        if let refused = await require(Permission.usersRead) { return refused }
        guard let id = UUID(uuidString: rawID), let found = try? await services.adminUsers.user(id) else {
            return denied("No such user.", status: .notFound)
        }
        return try await userPage(found)
    }

    func userPage(_ found: UserWithPermissions, errors: [String: String] = [:]) async throws -> Response {
        let user = found.user
        var values = base(user.email)
        let mfaOn = try await services.accounts.mfaEnabled(user.id)
        values["id"] = user.id.uuidString.lowercased()
        values["email"] = user.email
        values["display_name"] = user.profile.displayName ?? ""
        values["status"] = user.isActive ? "active" : "disabled"
        values["active"] = user.isActive
        values["verified"] = user.isVerified ? "yes" : "no"
        values["is_verified"] = user.isVerified
        values["mfa"] = mfaOn ? "TOTP on" : "off"
        values["mfa_on"] = mfaOn
        values["created"] = Self.date(user.createdAt)
        values["last_login"] = Self.date(user.lastLoginAt)
        values["permissions"] = found.permissions.isEmpty ? "none" : found.permissions.joined(separator: ", ")
        values["can_write"] = can(Permission.usersWrite)
        values["can_delete"] = can(Permission.usersDelete)
        values["can_sessions"] = can(Permission.sessionsWrite)
        values["can_tokens"] = can(Permission.tokensWrite)
        values["errors"] = errors
        values["roles"] = user.roles.map { ["name": $0] }
        values["other_roles"] = try await services.roles.roles().map(\.name).filter { !user.roles.contains($0) }
            .map { ["name": $0] }
        if can(Permission.sessionsRead) {
            values["sessions"] = try await services.sessions.sessions(of: user.id).map { session -> [String: Any] in
                [
                    "session_id": session.id.uuidString.lowercased(), "created": Self.date(session.createdAt),
                    "last_used": Self.date(session.lastUsedAt), "ip": session.ip ?? "",
                    "agent": String((session.userAgent ?? "").prefix(60)), "aal": session.aal,
                ]
            }
        }
        if can(Permission.tokensRead) {
            values["tokens"] = try await services.personalTokens.list(of: user.id).map { token -> [String: Any] in
                [
                    "token_id": token.id.uuidString.lowercased(), "name": token.name,
                    "permissions": token.permissions.joined(separator: ", "),
                    "expires": token.expiresAt.map { Self.date($0) } ?? "never",
                    "last_used": Self.date(token.lastUsedAt),
                ]
            }
        }
        return page("user", values, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
