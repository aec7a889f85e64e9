import AuthCore
import Testing

@Suite struct PermissionTests {
    @Test func exactPermissionGrantsOnlyItself() {
        #expect(Permission.grants(["users:read"], "users:read"))
        #expect(!Permission.grants(["users:read"], "users:write"))
        #expect(!Permission.grants(["users:read"], "users:reader"))
    }

    @Test func resourceWildcardCoversEveryActionOfThatResourceOnly() {
        #expect(Permission.grants(["users:*"], "users:delete"))
        #expect(!Permission.grants(["users:*"], "roles:read"))
        #expect(!Permission.grants(["users:*"], "usersx:read"))
        #expect(!Permission.grants(["users:*"], "users:"))
    }

    @Test func starCoversEverything() {
        #expect(Permission.grants(["*"], "audit:read"))
        #expect(Permission.grantsAll(["*"], ["audit:read", "clients:write"]))
    }

    @Test func emptyGrantsNothingAndRequiringNothingIsAllowed() {
        #expect(!Permission.grants([], "users:read"))
        #expect(Permission.grantsAll([], []))
        #expect(!Permission.grantsAll(["users:read"], ["users:read", "roles:read"]))
    }

    @Test func unionDeduplicatesAndSorts() {
        #expect(Permission.union([["b:x", "a:y"], ["a:y"], []]) == ["a:y", "b:x"])
    }

    @Test(arguments: ["*", "users:read", "users:*", "my-app.reports:export_all"])
    func validPermissionStrings(_ permission: String) {
        #expect(Permission.isValid(permission))
    }

    @Test(arguments: ["", "users", ":read", "users:", "Users:read", "users:read:extra", "users: read", "*:*x", "a:b\n"])
    func invalidPermissionStrings(_ permission: String) {
        #expect(!Permission.isValid(permission))
    }
}
