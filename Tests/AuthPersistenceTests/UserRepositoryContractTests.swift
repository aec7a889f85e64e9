import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct Users {
        @Test(arguments: StoreKind.all)
        func createdUserReadsBackByIDAndEmail(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let profile = UserProfile(
                    displayName: "Ada L.",
                    givenName: "Ada",
                    familyName: "Lovelace",
                    locale: "en-GB",
                    timezone: "Europe/London",
                    avatarURL: "https://example.com/ada.png"
                )
                let user = Fixture.user(
                    "ada@example.com",
                    roles: ["user", "admin", "no-such-role"],
                    profile: profile,
                    isVerified: true,
                    createdAt: Fixture.at(5),
                    lastLoginAt: Fixture.at(7)
                )
                try await store.users.create(user)
                var expected = user
                expected.roles = ["admin", "user"]  // sorted, unknown names dropped
                #expect(try await store.users.find(id: user.id) == expected)
                #expect(try await store.users.find(email: "ada@example.com") == expected)
                #expect(try await store.users.find(id: UUID()) == nil)
                #expect(try await store.users.find(email: "nobody@example.com") == nil)
            }
        }

        /// A rehash at login replaces the hash it verified, never one a password change wrote meanwhile.
        @Test(arguments: StoreKind.all)
        func replacePasswordHashIsACompareAndSet(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                var user = Fixture.user("rehash@example.com")
                user.passwordHash = "old"
                try await store.users.create(user)
                #expect(
                    try await store.users.replacePasswordHash(userID: user.id, expected: "stale", with: "x") == false
                )
                #expect(try await store.users.find(id: user.id)?.passwordHash == "old")
                #expect(try await store.users.replacePasswordHash(userID: user.id, expected: "old", with: "new"))
                #expect(try await store.users.find(id: user.id)?.passwordHash == "new")
                #expect(try await store.users.replacePasswordHash(userID: UUID(), expected: "new", with: "x") == false)
            }
        }

        @Test(arguments: StoreKind.all)
        func aDuplicateEmailIsEmailTaken(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let first = Fixture.user("dup@example.com")
                try await store.users.create(first)
                await #expect(throws: AuthError.emailTaken) {
                    try await store.users.create(Fixture.user("dup@example.com"))
                }
                var other = Fixture.user("other@example.com")
                try await store.users.create(other)
                other.email = "dup@example.com"
                await #expect(throws: AuthError.emailTaken) { try await store.users.update(other) }
                #expect(try await store.users.find(id: other.id)?.email == "other@example.com")
                #expect(try await store.users.find(email: "dup@example.com")?.id == first.id)
                #expect(try await store.users.list(UserQuery()).total == 2)
            }
        }

        /// The protocol: "Throws `AuthError.emailTaken` when the email exists in any case."
        @Test(arguments: StoreKind.all)
        func emailsAreUniqueAndFoundInAnyCase(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let first = Fixture.user("case@example.com")
                try await store.users.create(first)
                try await withKnownIssue("SQL stores compare emails exactly (users_email_key, users.email = ?)") {
                    #expect(try await store.users.find(email: "CaSe@Example.COM")?.id == first.id)
                    await #expect(throws: AuthError.emailTaken) {
                        try await store.users.create(Fixture.user("CASE@example.com"))
                    }
                    var other = Fixture.user("other@example.com")
                    try await store.users.create(other)
                    other.email = "Case@Example.com"
                    await #expect(throws: AuthError.emailTaken) { try await store.users.update(other) }
                } when: {
                    kind.isSQL
                }
                // A user may change the case of its own email.
                var same = first
                same.email = "cASE@example.COM"
                try await store.users.update(same)
                #expect(try await store.users.find(id: first.id)?.email == "cASE@example.COM")
            }
        }

        @Test(arguments: StoreKind.all)
        func updateSavesEmailProfileActivityAndVerificationOnly(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user(
                    "before@example.com",
                    roles: ["user"],
                    createdAt: Fixture.at(0),
                    lastLoginAt: Fixture.at(10)
                )
                try await store.users.create(user)
                var changed = user
                changed.email = "after@example.com"
                changed.profile = UserProfile(displayName: "After", locale: "fr")
                changed.isActive = false
                changed.isVerified = true
                changed.updatedAt = Fixture.at(100)
                // Not saved by update:
                changed.passwordHash = "other-hash"
                changed.createdAt = Fixture.at(50)
                changed.lastLoginAt = Fixture.at(60)
                changed.roles = ["admin"]
                try await store.users.update(changed)
                var expected = user
                expected.email = "after@example.com"
                expected.profile = changed.profile
                expected.isActive = false
                expected.isVerified = true
                expected.updatedAt = Fixture.at(100)
                #expect(try await store.users.find(id: user.id) == expected)
                #expect(try await store.users.find(email: "after@example.com") == expected)
                #expect(try await store.users.find(email: "before@example.com") == nil)
                // The old address is free again.
                try await store.users.create(Fixture.user("before@example.com"))
                // Updating a user that does not exist creates nothing.
                try await store.users.update(Fixture.user("ghost@example.com"))
                #expect(try await store.users.find(email: "ghost@example.com") == nil)
            }
        }

        @Test(arguments: StoreKind.all)
        func passwordHashAndLastLoginAreSavedApart(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let user = Fixture.user("pw@example.com")
                try await store.users.create(user)
                try await store.users.updatePasswordHash(userID: user.id, hash: "$2b$04$new", at: Fixture.at(30))
                var found = try #require(try await store.users.find(id: user.id))
                #expect(
                    found.passwordHash == "$2b$04$new" && found.updatedAt == Fixture.at(30) && found.lastLoginAt == nil
                )
                try await store.users.recordLogin(userID: user.id, at: Fixture.at(40))
                found = try #require(try await store.users.find(id: user.id))
                #expect(
                    found.lastLoginAt == Fixture.at(40) && found.updatedAt == Fixture.at(30)
                        && found.passwordHash == "$2b$04$new"
                )
            }
        }

        @Test(arguments: StoreKind.all)
        func setRolesReplacesTheRolesAndThePermissionsFollow(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await store.roles.create(
                    Role(name: "editor", description: "Edits", permissions: ["posts:write", "posts:read"])
                )
                try await store.roles.create(
                    Role(name: "reader", description: "Reads", permissions: ["posts:read", "comments:read"])
                )
                let user = Fixture.user("roles@example.com", roles: ["user"])
                try await store.users.create(user)
                #expect(try await store.users.permissions(userID: user.id) == [])
                try await store.users.setRoles(userID: user.id, roles: ["reader", "editor", "no-such-role"])
                #expect(try await store.users.find(id: user.id)?.roles == ["editor", "reader"])
                #expect(
                    try await store.users.permissions(userID: user.id) == [
                        "comments:read", "posts:read", "posts:write",
                    ]
                )
                try await store.users.setRoles(userID: user.id, roles: ["admin"])
                #expect(try await store.users.find(id: user.id)?.roles == ["admin"])
                #expect(try await store.users.permissions(userID: user.id) == ["*"])
                try await store.users.setRoles(userID: user.id, roles: [])
                #expect(try await store.users.find(id: user.id)?.roles == [])
                #expect(try await store.users.permissions(userID: user.id) == [])
                #expect(try await store.users.permissions(userID: UUID()) == [])
            }
        }

        @Test(arguments: StoreKind.all)
        func deletingAUserTakesItsRolesAndSessionsButNotItsAuditTrail(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let (user, session) = try await Fixture.sessionWithUser(
                    in: store,
                    email: "gone@example.com",
                    roles: ["admin", "user"]
                )
                let event = AuditEvent(
                    occurredAt: Fixture.t0,
                    action: "user.created",
                    outcome: .success,
                    userID: user.id
                )
                try await store.audit.record(event)
                #expect(try await store.users.delete(id: user.id))
                #expect(try await store.users.find(id: user.id) == nil)
                #expect(try await store.users.find(email: "gone@example.com") == nil)
                #expect(try await store.roles.members(of: "admin").isEmpty)
                #expect(try await store.sessions.find(id: session.id) == nil)
                #expect(try await store.sessions.findRefreshToken(hash: "hash-1") == nil)
                #expect(try await store.audit.list(AuditQuery()).items == [event])
                #expect(try await store.users.delete(id: user.id) == false)
                try await store.users.create(Fixture.user("gone@example.com"))
            }
        }

        @Test(arguments: StoreKind.all)
        func superAdminsAreTheActiveHoldersOfAWildcardRole(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await store.roles.create(
                    Role(name: "root", description: "Also everything", permissions: ["users:read", "*"])
                )
                try await store.roles.create(
                    Role(name: "user-admin", description: "Users only", permissions: ["users:*"])
                )
                let admin = Fixture.user("admin@example.com", roles: ["admin", "user"])
                let root = Fixture.user("root@example.com", roles: ["root"])
                let disabled = Fixture.user("disabled@example.com", roles: ["admin"], isActive: false)
                let partial = Fixture.user("partial@example.com", roles: ["user-admin"])
                let plain = Fixture.user("plain@example.com")
                for user in [admin, root, disabled, partial, plain] { try await store.users.create(user) }
                #expect(Set(try await store.users.superAdminIDs()) == [admin.id, root.id])
                #expect(try await store.users.superAdminIDs().count == 2)
                try await store.roles.update(Role(name: "root", description: "Demoted", permissions: ["users:read"]))
                #expect(try await store.users.superAdminIDs() == [admin.id])
                var off = admin
                off.isActive = false
                try await store.users.update(off)
                #expect(try await store.users.superAdminIDs() == [])
            }
        }
    }
}
