import AuthCore
import AuthHTTP
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The operator's commands (`authd users ...`, `authd audit tail`): the API's own services, called by the command
/// line as a principal holding `*` (`Principal.commandLine`), so the same rules hold (delegation, the last
/// super-admin) and every change is audited in its transaction, with no actor id and the details `via: cli` and
/// `os_user`. Changes are announced to the other instances like the API's (PostgreSQL `NOTIFY`; a server on the
/// same SQLite file sees them within `AUTH_STATE_CACHE_TTL_MS`).
///
/// Each method returns what to print; a failure throws `OperatorError` or the service's `AuthError`.
public struct OperatorCommands: Sendable {
    public enum Format: Sendable { case table, json }

    public let services: AuthServices
    /// Who ran the command, as the operating system knows them.
    public let osUser: String
    let meta: RequestMeta

    public init(services: AuthServices, osUser: String = OperatorCommands.currentOSUser()) {
        self.services = services
        self.osUser = osUser
        // One request id for everything one command does, so its audit events can be found together.
        meta = RequestMeta(
            userAgent: "authd-cli/\(BuildInfo.version)",
            requestID: UUID().uuidString.lowercased(),
            osUser: osUser
        )
    }

    var actor: Principal {
        Principal.commandLine(issuedAt: Int(services.clock.now().timeIntervalSince1970))
    }

    /// The login name of the terminal's session (so `sudo` still names the person), else `USER` or `LOGNAME`, else
    /// the name of the effective user id.
    public static func currentOSUser(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let login = getlogin(), login.pointee != 0 { return String(cString: login) }
        for key in ["USER", "LOGNAME"] {
            if let name = environment[key], !name.isEmpty { return name }
        }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    // MARK: Reading

    public func listUsers(
        search: String? = nil,
        role: String? = nil,
        limit: Int = 100,
        format: Format = .table
    ) async throws -> String {
        var query = UserQuery()
        query.search = search
        query.role = role
        query.perPage = max(1, min(limit, 1_000))
        query.sort = .email
        let page = try await services.adminUsers.list(query)
        if format == .json { return try APIJSON.users(page) }
        guard !page.items.isEmpty else { return "no users" }
        var table = TextTable("EMAIL", "ROLES", "ACTIVE", "VERIFIED", "LAST LOGIN", "ID")
        for item in page.items {
            let user = item.user
            table.add(
                user.email,
                user.roles.isEmpty ? "-" : user.roles.joined(separator: ","),
                user.isActive ? "yes" : "no",
                user.isVerified ? "yes" : "no",
                OperatorTime.text(user.lastLoginAt),
                user.id.uuidString.lowercased()
            )
        }
        let shown = page.items.count < page.total ? "\n\(page.items.count) of \(page.total) users" : ""
        return table.render() + shown
    }

    /// `reference` is an email or a user id.
    public func showUser(_ reference: String, format: Format = .table) async throws -> String {
        let user = try await find(reference)
        let value = try await services.adminUsers.user(user.id)
        if format == .json { return try APIJSON.user(value) }
        let now = services.clock.now()
        let sessions = try await services.sessions.sessions(of: user.id)
        let totp = try await services.store.mfa.totp(userID: user.id)
        let throttle = try await services.store.loginThrottle.state(key: LoginThrottle.key(for: user.email))
        let lockout: String
        if let until = throttle?.lockedUntil, until > now {
            lockout = "locked until \(OperatorTime.text(until)) (authd users unlock \(user.email))"
        } else {
            lockout = throttle.map { "not locked (\($0.failures) recent failed logins)" } ?? "not locked"
        }
        var table = TextTable("FIELD", "VALUE")
        table.add("id", user.id.uuidString.lowercased())
        table.add("email", user.email)
        table.add("display name", user.profile.displayName ?? "-")
        table.add("active", user.isActive ? "yes" : "no (disabled)")
        table.add("verified", user.isVerified ? "yes" : "no")
        table.add("roles", user.roles.isEmpty ? "-" : user.roles.joined(separator: ", "))
        table.add("permissions", value.permissions.isEmpty ? "-" : value.permissions.joined(separator: ", "))
        table.add("mfa", totp?.confirmedAt.map { "on since \(OperatorTime.text($0))" } ?? "off")
        table.add("sessions", "\(sessions.count) active")
        table.add("lockout", lockout)
        table.add("created", OperatorTime.text(user.createdAt))
        table.add("updated", OperatorTime.text(user.updatedAt))
        table.add("last login", OperatorTime.text(user.lastLoginAt))
        return table.render()
    }

    // MARK: Changing

    /// Disables the account: its sessions end, and its tokens are refused at once.
    public func disable(_ email: String) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        let live = try await services.sessions.sessions(of: user.id).count
        _ = try await services.adminUsers.update(user.id, AdminUserInput(isActive: false), actor: actor, meta: meta)
        return "disabled \(user.email); \(live) session(s) ended"
    }

    public func enable(_ email: String) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        _ = try await services.adminUsers.update(user.id, AdminUserInput(isActive: true), actor: actor, meta: meta)
        return "enabled \(user.email)"
    }

    /// Clears the login lockout of the address (and the failures counted toward it).
    public func unlock(_ email: String) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        guard let until = try await services.adminUsers.unlock(user.id, actor: actor, meta: meta) else {
            return "\(user.email) was not locked out; its failed logins are cleared"
        }
        return "unlocked \(user.email) (it was locked until \(OperatorTime.text(until)))"
    }

    public func revokeSessions(_ email: String) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        let live = try await services.sessions.sessions(of: user.id).count
        try await services.sessions.revokeAll(of: user.id, actor: actor, meta: meta)
        return "ended \(live) session(s) of \(user.email)"
    }

    /// Replaces the user's roles with `roles` (which must exist).
    public func setRoles(_ email: String, roles: [String]) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        let updated = try await services.adminUsers.update(
            user.id,
            AdminUserInput(roles: roles),
            actor: actor,
            meta: meta
        )
        let names = updated.user.roles.isEmpty ? "none" : updated.user.roles.joined(separator: ", ")
        return "\(user.email) now has the roles: \(names)"
    }

    /// Removes the user's second factor (TOTP and recovery codes); the user is told by mail.
    public func resetMFA(_ email: String) async throws -> String {
        let user = try await find(email, byEmailOnly: true)
        try await services.mfa.reset(userID: user.id, actor: actor, meta: meta)
        return "removed the second factor of \(user.email)"
    }

    // MARK: Helpers

    /// The user an email (or, unless `byEmailOnly`, a user id) names.
    func find(_ reference: String, byEmailOnly: Bool = false) async throws -> User {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        if !byEmailOnly, let id = UUID(uuidString: trimmed) {
            guard let user = try await services.store.users.find(id: id) else {
                throw OperatorError("no user with id \(trimmed.lowercased())")
            }
            return user
        }
        guard let email = EmailAddress.normalize(trimmed) else {
            throw OperatorError("\(AuditLog.printable(trimmed)) is not an email address")
        }
        guard let user = try await services.store.users.find(email: email) else {
            throw OperatorError("no user with email \(email)")
        }
        return user
    }
}
