import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// Nobody grants, edits or acts beyond what they hold (the delegation rule), on every admin route.
@Suite struct DelegationTests {
    /// A user holding only the given permissions (through a role made for it), logged in.
    static func delegate(_ api: TestAPI, admin: Tokens, role: String, permissions: [String]) async throws -> Tokens {
        let created = try await api.call(
            .post,
            "/admin/roles",
            json: ["name": role, "permissions": permissions],
            token: admin.access
        )
        #expect(created.status == .created, "\(created.text)")
        let email = uniqueEmail()
        let user = try await api.call(
            .post,
            "/admin/users",
            json: ["email": email, "password": defaultPassword, "roles": ["user", role]],
            token: admin.access
        )
        #expect(user.status == .created, "\(user.text)")
        return try await api.loginTokens(email)
    }

    static func missing(_ r: HTTPResult) -> [String] { r["missing_permissions"] as? [String] ?? [] }

    @Test(arguments: TestDatabase.all)
    func aHelpdeskCannotGrantItselfAdminNorTouchAnAdmin(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let admin = try await api.admin()
            let helpdesk = try await Self.delegate(
                api,
                admin: admin,
                role: "helpdesk",
                permissions: ["users:read", "users:write"]
            )
            // Upward on itself.
            let escalate = try await api.call(
                .put,
                "/admin/users/\(helpdesk.userID)",
                json: ["roles": ["user", "helpdesk", "admin"]],
                token: helpdesk.access
            )
            #expect(escalate.status == .forbidden && escalate.code == "insufficient_privileges", "\(escalate.text)")
            #expect(Self.missing(escalate) == ["*"])
            let me = try await api.call(.get, "/auth/me", token: helpdesk.access)
            #expect(me["roles"] as? [String] == ["helpdesk", "user"])
            // Lateral-upward: the bootstrap admin's password and email.
            let attempts: [[String: any Sendable]] = [
                ["password": "a new admin passphrase"], ["email": "taken-over@example.com"], ["is_active": false],
            ]
            for body in attempts {
                let r = try await api.call(.put, "/admin/users/\(admin.userID)", json: body, token: helpdesk.access)
                #expect(r.status == .forbidden && r.code == "insufficient_privileges", "\(body): \(r.text)")
            }
            #expect(try await api.login(adminEmail, adminPassword).status == .ok)
            // Creating an admin.
            let email = uniqueEmail()
            let create = try await api.call(
                .post,
                "/admin/users",
                json: ["email": email, "password": defaultPassword, "roles": ["admin"]],
                token: helpdesk.access
            )
            #expect(create.status == .forbidden && Self.missing(create) == ["*"], "\(create.text)")
            #expect(try await api.login(email).status == .unauthorized)
            // What it covers it may do: a plain user's profile, and granting its own role.
            let plain = try await api.newUser()
            let allowed = try await api.call(
                .put,
                "/admin/users/\(plain.tokens.userID)",
                json: ["display_name": "Helped", "roles": ["user", "helpdesk"]],
                token: helpdesk.access
            )
            #expect(allowed.status == .ok, "\(allowed.text)")
            // Refusals are audited with what was missing.
            let denied = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "permission.denied"
                    q.perPage = 100
                    return q
                }()
            )
            #expect(
                denied.items.contains {
                    $0.details["missing_permissions"] == "*" && $0.details["action"] == "user.update"
                }
            )
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRoleEditorCannotWidenARoleBeyondWhatItHolds(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let editor = try await Self.delegate(
                api,
                admin: admin,
                role: "role-editor",
                permissions: ["roles:read", "roles:write"]
            )
            let widen = try await api.call(
                .put,
                "/admin/roles/role-editor",
                json: ["permissions": ["*"]],
                token: editor.access
            )
            #expect(widen.status == .forbidden && Self.missing(widen) == ["*"], "\(widen.text)")
            let create = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "deleters", "permissions": ["users:delete", "roles:read"]],
                token: editor.access
            )
            #expect(create.status == .forbidden && Self.missing(create) == ["users:delete"], "\(create.text)")
            // A role it does not cover cannot be edited or deleted either, even to narrow it.
            _ = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "auditors", "permissions": ["audit:read"]],
                token: admin.access
            )
            let narrow = try await api.call(
                .put,
                "/admin/roles/auditors",
                json: ["permissions": [String]()],
                token: editor.access
            )
            #expect(narrow.status == .forbidden && Self.missing(narrow) == ["audit:read"], "\(narrow.text)")
            let delete = try await api.call(.delete, "/admin/roles/auditors", token: editor.access)
            #expect(delete.status == .forbidden, "\(delete.text)")
            // Within what it holds, it works.
            let ok = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "readers", "permissions": ["roles:read"]],
                token: editor.access
            )
            #expect(ok.status == .created, "\(ok.text)")
            let roles = try await api.call(.get, "/admin/roles", token: admin.access)
            let editorRole = roles.items.first { $0["name"] as? String == "role-editor" }
            #expect(editorRole?["permissions"] as? [String] == ["roles:read", "roles:write"])
            #expect(!roles.items.contains { $0["name"] as? String == "deleters" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSessionRevokerCannotEndAnAdminsSessions(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let revoker = try await Self.delegate(api, admin: admin, role: "revoker", permissions: ["sessions:write"])
            let r = try await api.call(.delete, "/admin/users/\(admin.userID)/sessions", token: revoker.access)
            #expect(r.status == .forbidden && r.code == "insufficient_privileges", "\(r.text)")
            #expect(try await api.call(.get, "/auth/me", token: admin.access).status == .ok)
            let plain = try await api.newUser()
            let ok = try await api.call(.delete, "/admin/users/\(plain.tokens.userID)/sessions", token: revoker.access)
            #expect(ok.status == .noContent)
            #expect(try await api.call(.get, "/auth/me", token: plain.tokens.access).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingTheEmailMakesTheAccountUnverified(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let email = uniqueEmail()
            let created = try await api.call(
                .post,
                "/admin/users",
                json: ["email": email, "password": defaultPassword, "is_verified": true],
                token: admin.access
            )
            #expect(created["is_verified"] as? Bool == true)
            let tokens = try await api.loginTokens(email)
            let changed = try await api.call(
                .put,
                "/auth/me",
                json: ["email": uniqueEmail(), "current_password": defaultPassword],
                token: tokens.access
            )
            #expect(changed.status == .ok && changed["is_verified"] as? Bool == false, "\(changed.text)")
            // By an administrator too, unless it says otherwise in the same request.
            let byAdmin = try await api.call(
                .put,
                "/admin/users/\(tokens.userID)",
                json: ["is_verified": true],
                token: admin.access
            )
            #expect(byAdmin["is_verified"] as? Bool == true)
            let moved = try await api.call(
                .put,
                "/admin/users/\(tokens.userID)",
                json: ["email": uniqueEmail()],
                token: admin.access
            )
            #expect(moved["is_verified"] as? Bool == false, "\(moved.text)")
        }
    }
}
