import Foundation

/// `/admin/roles`: roles and the permissions they carry. A change reaches every cached session at once.
public final class RoleAdminService: Sendable {
    private let store: any AuthStore
    private let cache: SessionStateCache
    private let audit: AuditLog
    private let delegation: DelegationGuard

    public init(store: any AuthStore, cache: SessionStateCache, audit: AuditLog, delegation: DelegationGuard) {
        self.delegation = delegation
        self.store = store
        self.cache = cache
        self.audit = audit
    }

    public func roles() async throws -> [Role] { try await store.roles.all() }

    public func create(
        name: String,
        description: String,
        permissions: [String],
        requiresMFA: Bool = false,
        actor: Principal,
        meta: RequestMeta
    )
        async throws -> Role
    {
        try Self.validate(name: name, description: description, permissions: permissions)
        if requiresMFA { try Self.requireStepUp(actor) }
        let role = Role(
            name: name,
            description: description,
            permissions: Array(Set(permissions)).sorted(),
            requiresMFA: requiresMFA
        )
        try await delegation.require(actor, covers: role.permissions, action: "role.create", meta: meta)
        try await store.transaction { tx in
            try await tx.roles.create(role)
            let event = self.audit.event(
                "role.created",
                .success,
                actor: actor.userID,
                meta: meta,
                details: [
                    "role": name, "permissions": role.permissions.joined(separator: ","),
                    "requires_mfa": String(role.requiresMFA),
                ]
            )
            try await self.audit.record(event, in: tx)
        }
        return role
    }

    /// Marking a role `requires_mfa` takes a session that passed a second factor: an administrator without one would
    /// otherwise lock everyone, itself included, out of what the role grants.
    static func requireStepUp(_ actor: Principal) throws {
        guard actor.aal >= 2 else { throw AuthError.stepUpRequired }
    }

    public func update(
        name: String,
        description: String?,
        permissions: [String]?,
        requiresMFA: Bool? = nil,
        actor: Principal,
        meta: RequestMeta
    )
        async throws -> Role
    {
        try Self.validate(name: nil, description: description, permissions: permissions)
        if requiresMFA == true { try Self.requireStepUp(actor) }
        guard Self.isPossibleName(name), var role = try await store.roles.find(name: name) else {
            throw AuthError.roleNotFound
        }
        // The actor must cover the role as it is and as it would be.
        try await delegation.require(
            actor,
            covers: role.permissions + (permissions ?? []),
            action: "role.update",
            meta: meta
        )
        if let description { role.description = description }
        // System roles keep their permissions, but may be marked to need a second factor (admin, typically).
        if let requiresMFA { role.requiresMFA = requiresMFA }
        if let permissions {
            let sorted = Array(Set(permissions)).sorted()
            if role.isSystem && sorted != role.permissions { throw AuthError.systemRole }
            role.permissions = sorted
        }
        let updated = role
        try await store.transaction { tx in
            let hadSuperAdmins = try await SuperAdminGuard.present(in: tx)
            try await tx.roles.update(updated)
            let event = self.audit.event(
                "role.updated",
                .success,
                actor: actor.userID,
                meta: meta,
                details: [
                    "role": name, "permissions": updated.permissions.joined(separator: ","),
                    "requires_mfa": String(updated.requiresMFA),
                ]
            )
            try await self.audit.record(event, in: tx)
            try await SuperAdminGuard.keep(in: tx, had: hadSuperAdmins)
            try await tx.announce(.all)
        }
        cache.invalidateAll()
        return updated
    }

    public func delete(name: String, actor: Principal, meta: RequestMeta) async throws {
        guard Self.isPossibleName(name), let role = try await store.roles.find(name: name) else {
            throw AuthError.roleNotFound
        }
        guard !role.isSystem else { throw AuthError.systemRole }
        try await delegation.require(actor, covers: role.permissions, action: "role.delete", meta: meta)
        try await store.transaction { tx in
            let hadSuperAdmins = try await SuperAdminGuard.present(in: tx)
            let members = try await tx.roles.members(of: name)
            _ = try await tx.roles.delete(name: name)
            try await SuperAdminGuard.keep(in: tx, had: hadSuperAdmins)
            try await tx.announce(.all)
            let event = self.audit.event(
                "role.deleted",
                .success,
                actor: actor.userID,
                meta: meta,
                details: ["role": name, "members": String(members.count)]
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidateAll()
    }

    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")

    /// Whether a role could have this name; one that could not is not looked up (it may hold U+0000).
    static func isPossibleName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.count <= FieldLimits.roleName
            && name.allSatisfy { nameCharacters.contains($0) }
    }

    static func validate(name: String?, description: String?, permissions: [String]?) throws {
        var errors: [FieldError] = []
        if let name {
            if !isPossibleName(name) {
                errors.append(
                    FieldError(
                        field: "name",
                        code: "invalid_format",
                        message: "1 to \(FieldLimits.roleName) lower-case letters, digits, '_', '-' or '.'."
                    )
                )
            }
        }
        if let description, description.unicodeScalars.count > FieldLimits.roleDescription {
            errors.append(.tooLong("description", max: FieldLimits.roleDescription))
        }
        for (index, permission) in (permissions ?? []).enumerated() where !Permission.isValid(permission) {
            errors.append(
                FieldError(
                    field: "permissions[\(index)]",
                    code: "invalid_format",
                    message: "A permission is resource:action, resource:* or *."
                )
            )
        }
        if (permissions?.count ?? 0) > FieldLimits.permissionsPerRole {
            errors.append(
                FieldError(
                    field: "permissions",
                    code: "too_many",
                    message: "At most \(FieldLimits.permissionsPerRole) permissions."
                )
            )
        }
        if !errors.isEmpty { throw AuthError.validation(errors) }
    }
}
