import AuthCore
import AuthTestSupport
import Foundation
import Testing

/// Some active user always holds `*`, on the in-memory store.
@Suite struct LastAdminRulesTests {
    @Test func theOnlyAdminCannotBeDisabledDemotedOrDeleted() async throws {
        let harness = try await DomainHarness()
        let admin = try await harness.admin()
        let other = try await harness.admin()
        let actor = try await harness.principal(other.email)
        // Two admins: one may go.
        _ = try await harness.services.adminUsers.update(
            admin.id,
            AdminUserInput(isActive: false),
            actor: actor,
            meta: RequestMeta()
        )
        let selfActor = try await harness.principal(other.email)
        await #expect(throws: AuthError.lastAdmin) {
            try await harness.services.adminUsers.update(
                other.id,
                AdminUserInput(isActive: false),
                actor: selfActor,
                meta: RequestMeta()
            )
        }
        await #expect(throws: AuthError.lastAdmin) {
            try await harness.services.adminUsers.update(
                other.id,
                AdminUserInput(roles: [Role.user.name]),
                actor: selfActor,
                meta: RequestMeta()
            )
        }
        await #expect(throws: AuthError.cannotDeleteSelf) {
            try await harness.services.adminUsers.delete(other.id, actor: selfActor, meta: RequestMeta())
        }
        // Refused changes left nothing behind.
        let stored = try #require(try await harness.store.users.find(id: other.id))
        #expect(stored.isActive && stored.roles.contains(Role.admin.name))
    }

    @Test func aRoleEditThatWouldStripTheLastStarIsRefused() async throws {
        let harness = try await DomainHarness()
        let admin = try await harness.admin()
        let actor = try await harness.principal(admin.email)
        await #expect(throws: AuthError.systemRole) {
            try await harness.services.roles.update(
                name: Role.admin.name,
                description: nil,
                permissions: ["users:read"],
                actor: actor,
                meta: RequestMeta()
            )
        }
        // A custom role granting `*` to the only admin: taking `*` from it is refused while it is the last holder.
        _ = try await harness.services.roles.create(
            name: "root",
            description: "",
            permissions: ["*"],
            actor: actor,
            meta: RequestMeta()
        )
        let rootOnly = try await harness.register()
        try await harness.store.users.setRoles(userID: rootOnly.id, roles: ["root"])
        _ = try await harness.services.adminUsers.update(
            admin.id,
            AdminUserInput(isActive: false),
            actor: try await harness.principal(rootOnly.email),
            meta: RequestMeta()
        )
        let rootActor = try await harness.principal(rootOnly.email)
        await #expect(throws: AuthError.lastAdmin) {
            try await harness.services.roles.update(
                name: "root",
                description: nil,
                permissions: ["users:read"],
                actor: rootActor,
                meta: RequestMeta()
            )
        }
        await #expect(throws: AuthError.lastAdmin) {
            try await harness.services.roles.delete(name: "root", actor: rootActor, meta: RequestMeta())
        }
    }
}
