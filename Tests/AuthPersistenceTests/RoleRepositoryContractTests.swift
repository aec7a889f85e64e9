import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct Roles {
        @Test(arguments: StoreKind.all)
        func rolesAreCreatedFoundListedUpdatedAndDeleted(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let auditor = Role(
                    name: "auditor",
                    description: "Reads the audit log",
                    permissions: ["users:read", "audit:read"]
                )
                try await store.roles.create(auditor)
                let sorted = Role(
                    name: "auditor",
                    description: "Reads the audit log",
                    permissions: ["audit:read", "users:read"]
                )
                #expect(try await store.roles.find(name: "auditor") == sorted)
                #expect(try await store.roles.all() == [Role.admin, sorted, Role.user])
                #expect(try await store.roles.find(name: "Auditor") == nil)

                await #expect(throws: AuthError.roleExists) {
                    try await store.roles.create(Role(name: "auditor", description: "Another", permissions: []))
                }
                #expect(try await store.roles.find(name: "auditor") == sorted)

                // Description and permissions change; whether the role is a system one does not.
                try await store.roles.update(
                    Role(name: "auditor", description: "Audits", permissions: ["audit:*"], isSystem: true)
                )
                #expect(
                    try await store.roles.find(name: "auditor")
                        == Role(name: "auditor", description: "Audits", permissions: ["audit:*"])
                )
                try await store.roles.update(Role(name: "ghost", description: "Nobody", permissions: []))
                #expect(try await store.roles.find(name: "ghost") == nil)

                #expect(try await store.roles.delete(name: "auditor"))
                #expect(try await store.roles.find(name: "auditor") == nil)
                #expect(try await store.roles.delete(name: "auditor") == false)
                #expect(try await store.roles.all() == [Role.admin, Role.user])
            }
        }

        /// Step-up: `requires_mfa` is stored, changed by an update, and splits a session's permissions.
        @Test(arguments: StoreKind.all)
        func aRoleRequiringMFAIsStoredAndCountsOnlyAtAAL2(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let payroll = Role(name: "payroll", description: "", permissions: ["pay:run"], requiresMFA: true)
                try await store.roles.create(payroll)
                #expect(try await store.roles.find(name: "payroll")?.requiresMFA == true)
                let user = Fixture.user("pay@example.com", roles: ["user", "payroll"])
                try await store.users.create(user)
                #expect(try await store.users.permissions(userID: user.id, assurance: 1) == [])
                #expect(try await store.users.permissions(userID: user.id, assurance: 2) == ["pay:run"])
                #expect(try await store.users.permissions(userID: user.id) == ["pay:run"])
                let now = Date()
                let session = Session(
                    userID: user.id,
                    createdAt: now,
                    lastUsedAt: now,
                    expiresAt: now.addingTimeInterval(60)
                )
                try await store.sessions.create(session, refreshTokenHash: "step-up")
                let state = try #require(try await store.sessions.state(sessionID: session.id))
                #expect(
                    state.permissions == [] && state.stepUpPermissions == ["pay:run"]
                        && state.effectivePermissions == []
                )
                var relaxed = payroll
                relaxed.requiresMFA = false
                try await store.roles.update(relaxed)
                #expect(try await store.users.permissions(userID: user.id, assurance: 1) == ["pay:run"])
            }
        }

        @Test(arguments: StoreKind.all)
        func deletingARoleTakesItFromItsMembers(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await store.roles.create(
                    Role(name: "support", description: "Support", permissions: ["sessions:read"])
                )
                let user = Fixture.user("member@example.com", roles: ["support", "user"])
                try await store.users.create(user)
                #expect(try await store.users.permissions(userID: user.id) == ["sessions:read"])
                #expect(try await store.roles.delete(name: "support"))
                #expect(try await store.users.find(id: user.id)?.roles == ["user"])
                #expect(try await store.users.permissions(userID: user.id) == [])
                // A new role of the same name has no members.
                try await store.roles.create(Role(name: "support", description: "Again", permissions: []))
                #expect(try await store.roles.members(of: "support") == [])
            }
        }

        @Test(arguments: StoreKind.all)
        func seedingTwiceAddsWhatIsMissingAndChangesNothing(_ kind: StoreKind) async throws {
            try await withStore(kind, seeded: false) { store in
                #expect(try await store.roles.all() == [])
                try await store.roles.seed(Role.seeded)
                try await store.roles.seed(Role.seeded)
                #expect(try await store.roles.all() == [Role.admin, Role.user])
                try await store.roles.update(Role(name: "user", description: "Edited", permissions: ["profile:read"]))
                let extra = Role(name: "viewer", description: "Views", permissions: ["users:read"])
                try await store.roles.seed(Role.seeded + [extra])
                #expect(
                    try await store.roles.all() == [
                        Role.admin,
                        Role(name: "user", description: "Edited", permissions: ["profile:read"], isSystem: true), extra,
                    ]
                )
            }
        }

        @Test(arguments: StoreKind.all)
        func membersAreTheUsersHoldingTheRole(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let a = Fixture.user("a@example.com", roles: ["admin", "user"])
                let b = Fixture.user("b@example.com", roles: ["user"])
                let c = Fixture.user("c@example.com", roles: ["admin"], isActive: false)
                for user in [a, b, c] { try await store.users.create(user) }
                #expect(Set(try await store.roles.members(of: "admin")) == [a.id, c.id])
                #expect(try await store.roles.members(of: "admin").count == 2)
                #expect(Set(try await store.roles.members(of: "user")) == [a.id, b.id])
                #expect(try await store.roles.members(of: "no-such-role") == [])
                try await store.users.setRoles(userID: a.id, roles: ["user"])
                #expect(try await store.roles.members(of: "admin") == [c.id])
            }
        }
    }
}
