/// The invariant that some active user always holds `*`: checked inside the transaction that could break it.
enum SuperAdminGuard {
    /// Whether the store has a super-admin now; take it before the change. Takes the lock that serialises such
    /// changes, so the check and the change are one step for every instance.
    static func present(in tx: any AuthStore) async throws -> Bool {
        try await tx.users.lockSuperAdminChanges()
        return try await !tx.users.superAdminIDs().isEmpty
    }

    /// Throws (rolling the transaction back) when a change would leave no active user holding `*`.
    static func keep(in tx: any AuthStore, had: Bool) async throws {
        if had, try await tx.users.superAdminIDs().isEmpty { throw AuthError.lastAdmin }
    }
}
