import Foundation

/// The delegation rule, for every admin action: an actor grants or removes only roles it covers, acts only on
/// users whose permissions it covers, and creates, edits or deletes only roles it covers before and after.
/// "Covers" means every permission is matched by the actor's own current permissions (wildcards count). Reading is
/// not restricted. A refusal is `insufficient_privileges` with the missing permissions, audited as
/// `permission.denied`.
public struct DelegationGuard: Sendable {
    let store: any AuthStore
    let audit: AuditLog

    public init(store: any AuthStore, audit: AuditLog) {
        self.store = store
        self.audit = audit
    }

    /// The permissions of `required` that `held` does not cover, sorted.
    public static func missing(_ required: [String], coveredBy held: [String]) -> [String] {
        Array(Set(required.filter { !Permission.grants(held, $0) })).sorted()
    }

    /// Refuses unless the actor covers `required`.
    func require(
        _ actor: Principal,
        covers required: [String],
        action: String,
        target user: UUID? = nil,
        meta: RequestMeta
    ) async throws {
        let missing = Self.missing(required, coveredBy: actor.permissions)
        guard !missing.isEmpty else { return }
        let event = audit.event(
            "permission.denied",
            .failure,
            actor: actor.userID,
            user: user,
            meta: meta,
            details: ["action": action, "missing_permissions": missing.joined(separator: ",")]
        )
        await audit.recordDetached(event, in: store)
        throw AuthError.insufficientPrivileges(missing: missing)
    }

    /// Refuses unless the actor covers the user's current permissions (no lateral or upward action).
    func requireCovering(user: UUID, actor: Principal, action: String, meta: RequestMeta) async throws {
        try await require(
            actor,
            covers: try await store.users.permissions(userID: user),
            action: action,
            target: user,
            meta: meta
        )
    }

    /// Refuses unless the actor covers every role in `names` (to grant or to remove them).
    func requireCovering(
        roles names: Set<String>,
        actor: Principal,
        action: String,
        target: UUID?,
        meta: RequestMeta
    )
        async throws
    {
        guard !names.isEmpty else { return }
        let permissions = try await store.roles.all().filter { names.contains($0.name) }.flatMap(\.permissions)
        try await require(actor, covers: permissions, action: action, target: target, meta: meta)
    }
}
