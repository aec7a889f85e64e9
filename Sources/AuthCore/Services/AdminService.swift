import Foundation

public struct AdminUserInput: Sendable {
    public var email: String?
    public var password: String?
    public var profile: ProfileChanges
    public var roles: [String]?
    public var isActive: Bool?
    public var isVerified: Bool?
    public init(email: String? = nil, password: String? = nil, profile: ProfileChanges = ProfileChanges(), roles: [String]? = nil,
                isActive: Bool? = nil, isVerified: Bool? = nil) {
        self.email = email
        self.password = password
        self.profile = profile
        self.roles = roles
        self.isActive = isActive
        self.isVerified = isVerified
    }
}

/// The `/admin` capabilities: users, their sessions, roles, the audit trail and service clients.
/// Callers check permissions; every change is audited in the transaction that makes it.
public final class AdminService: Sendable {
    let accounts: AccountService
    var store: any AuthStore { accounts.store }
    var audit: AuditLog { accounts.audit }
    var clock: any AuthClock { accounts.clock }
    var cache: SessionStateCache { accounts.cache }
    let clientAuthenticator: ServiceClientAuthenticator

    public init(accounts: AccountService, clientAuthenticator: ServiceClientAuthenticator) {
        self.accounts = accounts
        self.clientAuthenticator = clientAuthenticator
    }

    // MARK: Users

    public func listUsers(_ query: UserQuery) async throws -> Page<UserWithPermissions> {
        let page = try await store.users.list(query)
        let roles = Dictionary(uniqueKeysWithValues: try await store.roles.all().map { ($0.name, $0.permissions) })
        let items = page.items.map { user in
            UserWithPermissions(user: user, permissions: Permission.union(user.roles.compactMap { roles[$0] }))
        }
        return Page(items: items, page: page.page, perPage: page.perPage, total: page.total)
    }

    public func user(_ id: UUID) async throws -> UserWithPermissions {
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        return UserWithPermissions(user: user, permissions: try await store.users.permissions(userID: id))
    }

    func checkRolesExist(_ names: [String]) async throws {
        let known = Set(try await store.roles.all().map(\.name))
        let unknown = names.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw AuthError.validation(field: "roles", code: "unknown_role", message: "Unknown roles: \(unknown.sorted().joined(separator: ", ")).")
        }
    }

    public func createUser(_ input: AdminUserInput, actor: Principal, meta: RequestMeta) async throws -> UserWithPermissions {
        var errors: [FieldError] = []
        if input.email == nil { errors.append(FieldError(field: "email", code: "required", message: "The email is required.")) }
        if input.password == nil { errors.append(FieldError(field: "password", code: "required", message: "The password is required.")) }
        guard errors.isEmpty, let email = input.email, let password = input.password else { throw AuthError.validation(errors) }
        let roles = Array(Set(input.roles ?? [Role.user.name]))
        try await checkRolesExist(roles)
        let user = try await accounts.newUser(email: email, password: password, profile: input.profile, roles: roles,
                                              isActive: input.isActive ?? true, isVerified: input.isVerified ?? false)
        try await store.transaction { tx in
            try await tx.users.create(user)
            try await self.audit.record(self.audit.event("user.created", .success, actor: actor.userID, user: user.id, meta: meta,
                                                         details: ["roles": roles.sorted().joined(separator: ",")]), in: tx)
        }
        return try await self.user(user.id)
    }

    public func updateUser(_ id: UUID, _ input: AdminUserInput, actor: Principal, meta: RequestMeta) async throws -> UserWithPermissions {
        guard var user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        var errors = input.profile.validate()
        if let email = input.email {
            if let normalized = EmailAddress.normalize(email) {
                user.email = normalized
            } else {
                errors.append(FieldError(field: "email", code: "invalid_format", message: "A valid email address, at most 254 characters."))
            }
        }
        var newHash: String?
        if let password = input.password {
            let problems = accounts.policy.check(password, email: user.email)
            errors += problems
            if problems.isEmpty { newHash = try await accounts.hasher.hash(password) }
        }
        guard errors.isEmpty else { throw AuthError.validation(errors) }
        let roles = input.roles.map { Array(Set($0)).sorted() }
        if let roles { try await checkRolesExist(roles) }
        let before = user
        input.profile.apply(to: &user.profile)
        if let active = input.isActive { user.isActive = active }
        if let verified = input.isVerified { user.isVerified = verified }
        user.updatedAt = clock.now()
        let updated = user
        let now = clock.now()
        var changed = accounts.profileFieldsChanged(before.profile, updated.profile)
        if before.email != updated.email { changed.append("email") }
        if before.isActive != updated.isActive { changed.append("is_active") }
        if before.isVerified != updated.isVerified { changed.append("is_verified") }
        if let roles, roles != before.roles { changed.append("roles") }
        if newHash != nil { changed.append("password") }
        let fields = changed, passwordHash = newHash
        try await store.transaction { tx in
            let hadSuperAdmins = try await !tx.users.superAdminIDs().isEmpty
            try await tx.users.update(updated)
            if let roles { try await tx.users.setRoles(userID: id, roles: roles) }
            if let passwordHash { try await tx.users.updatePasswordHash(userID: id, hash: passwordHash, at: now) }
            // Removing the last holder of `*` (by role change or disabling) is refused.
            try await Self.keepSuperAdmin(in: tx, had: hadSuperAdmins)
            var details = ["fields": fields.joined(separator: ",")]
            if let roles { details["roles"] = roles.joined(separator: ",") }
            // Disabling a user (or resetting its password) ends its sessions.
            if !updated.isActive || passwordHash != nil {
                let revoked = try await tx.sessions.revokeAll(userID: id, except: nil, reason: updated.isActive ? "password_reset" : "user_disabled", at: now)
                details["sessions_revoked"] = String(revoked.count)
            }
            try await self.audit.record(self.audit.event("user.updated", .success, actor: actor.userID, user: id, meta: meta, details: details), in: tx)
        }
        await cache.invalidate(user: id)
        return try await self.user(id)
    }

    public func deleteUser(_ id: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard id != actor.userID else { throw AuthError.cannotDeleteSelf }
        guard let user = try await store.users.find(id: id) else { throw AuthError.userNotFound }
        try await store.transaction { tx in
            let hadSuperAdmins = try await !tx.users.superAdminIDs().isEmpty
            guard try await tx.users.delete(id: id) else { throw AuthError.userNotFound }
            try await Self.keepSuperAdmin(in: tx, had: hadSuperAdmins)
            try await self.audit.record(self.audit.event("user.deleted", .success, actor: actor.userID, user: id, meta: meta,
                                                         details: ["email": user.email]), in: tx)
        }
        await cache.invalidate(user: id)
    }

    /// Throws (rolling the transaction back) when a change would leave no active user holding `*`.
    static func keepSuperAdmin(in tx: any AuthStore, had: Bool) async throws {
        if had, try await tx.users.superAdminIDs().isEmpty { throw AuthError.lastAdmin }
    }

    public func sessions(of userID: UUID) async throws -> [Session] {
        guard try await store.users.find(id: userID) != nil else { throw AuthError.userNotFound }
        return try await accounts.sessions(of: userID)
    }

    public func revokeSessions(of userID: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard try await store.users.find(id: userID) != nil else { throw AuthError.userNotFound }
        let now = clock.now()
        let revoked = try await store.transaction { tx in
            let revoked = try await tx.sessions.revokeAll(userID: userID, except: nil, reason: "admin_revoked", at: now)
            try await self.audit.record(self.audit.event("session.revoked", .success, actor: actor.userID, user: userID, meta: meta,
                                                         details: ["sessions_revoked": String(revoked.count), "reason": "admin_revoked"]), in: tx)
            return revoked
        }
        if !revoked.isEmpty { await cache.invalidate(user: userID) }
    }

    // MARK: Roles

    public func roles() async throws -> [Role] { try await store.roles.all() }

    func validateRole(name: String?, permissions: [String]?) throws {
        var errors: [FieldError] = []
        if let name {
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
            if name.isEmpty || name.unicodeScalars.count > 64 || !name.allSatisfy({ allowed.contains($0) }) {
                errors.append(FieldError(field: "name", code: "invalid_format",
                                         message: "1 to 64 lower-case letters, digits, '_', '-' or '.'."))
            }
        }
        for (index, permission) in (permissions ?? []).enumerated() where !Permission.isValid(permission) {
            errors.append(FieldError(field: "permissions[\(index)]", code: "invalid_format",
                                     message: "A permission is resource:action, resource:* or *."))
        }
        if (permissions?.count ?? 0) > 200 {
            errors.append(FieldError(field: "permissions", code: "too_many", message: "At most 200 permissions."))
        }
        if !errors.isEmpty { throw AuthError.validation(errors) }
    }

    public func createRole(name: String, description: String, permissions: [String], actor: Principal, meta: RequestMeta) async throws -> Role {
        try validateRole(name: name, permissions: permissions)
        guard description.unicodeScalars.count <= 500 else {
            throw AuthError.validation(field: "description", code: "too_long", message: "At most 500 characters.")
        }
        let role = Role(name: name, description: description, permissions: Array(Set(permissions)).sorted(), isSystem: false)
        try await store.transaction { tx in
            try await tx.roles.create(role)
            try await self.audit.record(self.audit.event("role.created", .success, actor: actor.userID, meta: meta,
                                                         details: ["role": name, "permissions": role.permissions.joined(separator: ",")]), in: tx)
        }
        return role
    }

    public func updateRole(name: String, description: String?, permissions: [String]?, actor: Principal, meta: RequestMeta) async throws -> Role {
        try validateRole(name: nil, permissions: permissions)
        guard var role = try await store.roles.find(name: name) else { throw AuthError.roleNotFound }
        if let description {
            guard description.unicodeScalars.count <= 500 else {
                throw AuthError.validation(field: "description", code: "too_long", message: "At most 500 characters.")
            }
            role.description = description
        }
        if let permissions {
            let sorted = Array(Set(permissions)).sorted()
            if role.isSystem && sorted != role.permissions { throw AuthError.systemRole }
            role.permissions = sorted
        }
        let updated = role
        try await store.transaction { tx in
            let hadSuperAdmins = try await !tx.users.superAdminIDs().isEmpty
            try await tx.roles.update(updated)
            try await self.audit.record(self.audit.event("role.updated", .success, actor: actor.userID, meta: meta,
                                                         details: ["role": name, "permissions": updated.permissions.joined(separator: ",")]), in: tx)
            try await Self.keepSuperAdmin(in: tx, had: hadSuperAdmins)
        }
        await cache.invalidateAll()
        return updated
    }

    public func deleteRole(name: String, actor: Principal, meta: RequestMeta) async throws {
        guard let role = try await store.roles.find(name: name) else { throw AuthError.roleNotFound }
        guard !role.isSystem else { throw AuthError.systemRole }
        try await store.transaction { tx in
            let hadSuperAdmins = try await !tx.users.superAdminIDs().isEmpty
            let members = try await tx.roles.members(of: name)
            _ = try await tx.roles.delete(name: name)
            try await Self.keepSuperAdmin(in: tx, had: hadSuperAdmins)
            try await self.audit.record(self.audit.event("role.deleted", .success, actor: actor.userID, meta: meta,
                                                         details: ["role": name, "members": String(members.count)]), in: tx)
        }
        await cache.invalidateAll()
    }

    // MARK: Audit

    public func auditEvents(_ query: AuditQuery) async throws -> Page<AuditEvent> {
        try await store.audit.list(query)
    }

    // MARK: Service clients

    public func serviceClients() async throws -> [ServiceClient] { try await store.serviceClients.list() }

    /// Returns the client and its secret; the secret is not stored and cannot be shown again.
    public func createServiceClient(name: String, actor: Principal?, meta: RequestMeta) async throws -> (ServiceClient, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 100, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AuthError.validation(field: "name", code: "invalid_format", message: "1 to 100 printable characters.")
        }
        let secret = SecureToken.generate(byteCount: 32)
        let client = ServiceClient(name: trimmed, clientID: "svc_" + SecureToken.generate(byteCount: 12),
                                   secretHash: SecureToken.hash(secret), createdAt: clock.now())
        try await store.transaction { tx in
            try await tx.serviceClients.create(client)
            try await self.audit.record(self.audit.event("service_client.created", .success, actor: actor?.userID, meta: meta,
                                                         details: ["client_id": client.clientID, "name": trimmed]), in: tx)
        }
        return (client, secret)
    }

    public func deleteServiceClient(id: UUID, actor: Principal, meta: RequestMeta) async throws {
        let deleted: ServiceClient? = try await store.transaction { tx in
            guard let client = try await tx.serviceClients.delete(id: id) else { return nil }
            try await self.audit.record(self.audit.event("service_client.deleted", .success, actor: actor.userID, meta: meta,
                                                         details: ["client_id": client.clientID, "name": client.name]), in: tx)
            return client
        }
        guard let deleted else { throw AuthError.clientNotFound }
        await clientAuthenticator.invalidate(clientID: deleted.clientID)
    }
}
