import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct AdminTests {
    static let adminRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/admin/users"), (.post, "/admin/users"), (.get, "/admin/users/\(UUID())"),
        (.put, "/admin/users/\(UUID())"),
        (.delete, "/admin/users/\(UUID())"), (.get, "/admin/users/\(UUID())/sessions"),
        (.delete, "/admin/users/\(UUID())/sessions"),
        (.get, "/admin/roles"), (.post, "/admin/roles"), (.put, "/admin/roles/user"), (.delete, "/admin/roles/user"),
        (.get, "/admin/audit-events"), (.get, "/admin/service-clients"), (.post, "/admin/service-clients"),
        (.delete, "/admin/service-clients/\(UUID())"),
    ]

    @Test(arguments: TestDatabase.all)
    func everyAdminRouteIs401WithoutATokenAnd403WithoutThePermission(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (_, user) = try await api.newUser()
            for (method, path) in Self.adminRoutes {
                let anonymous = try await api.call(method, path, json: method == .get || method == .delete ? nil : [:])
                #expect(anonymous.status == .unauthorized, "\(method) \(path)")
                let forbidden = try await api.call(
                    method,
                    path,
                    json: method == .get || method == .delete ? nil : [:],
                    token: user.access
                )
                #expect(forbidden.status == .forbidden && forbidden.code == "permission_denied", "\(method) \(path)")
            }
            let denied = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "permission.denied"
                    q.perPage = 100
                    return q
                }()
            )
            #expect(denied.total == Self.adminRoutes.count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func usersCanBeCreatedSearchedPagedUpdatedAndDeleted(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let tag = UUID().uuidString.prefix(8).lowercased()
            var ids: [String] = []
            for i in 0..<5 {
                let r = try await api.call(
                    .post,
                    "/admin/users",
                    json: [
                        "email": "zz-\(tag)-\(i)@example.com", "password": "admin set passphrase",
                        "display_name": "Person \(tag) \(i)",
                        "roles": ["user"], "is_verified": i % 2 == 0,
                    ],
                    token: admin
                )
                #expect(r.status == .created, "\(r.text)")
                ids.append(r.string("id") ?? "")
            }
            let page = try await api.call(
                .get,
                "/admin/users?q=\(tag.uppercased())&per_page=2&page=2&sort=email",
                token: admin
            )
            #expect(page["total"] as? Int == 5 && page["page"] as? Int == 2 && page["per_page"] as? Int == 2)
            #expect(
                page.items.compactMap { $0["email"] as? String } == [
                    "zz-\(tag)-2@example.com", "zz-\(tag)-3@example.com",
                ]
            )
            let last = try await api.call(.get, "/admin/users?q=\(tag)&per_page=2&page=3&sort=-email", token: admin)
            #expect(last.items.compactMap { $0["email"] as? String } == ["zz-\(tag)-0@example.com"])
            let empty = try await api.call(.get, "/admin/users?q=\(tag)&per_page=2&page=9", token: admin)
            #expect(empty.items.isEmpty && empty["total"] as? Int == 5)
            let verified = try await api.call(.get, "/admin/users?q=\(tag)&is_verified=true", token: admin)
            #expect(verified["total"] as? Int == 3)
            #expect(
                try await api.call(.get, "/admin/users/\(ids[0])", token: admin).string("email")
                    == "zz-\(tag)-0@example.com"
            )
            let disabled = try await api.call(.put, "/admin/users/\(ids[0])", json: ["is_active": false], token: admin)
            #expect(disabled.status == .ok && disabled.json["is_active"] as? Bool == false)
            #expect(
                try await api.call(.get, "/admin/users?q=\(tag)&is_active=false", token: admin)["total"] as? Int == 1
            )
            #expect(try await api.login("zz-\(tag)-0@example.com", "admin set passphrase").status == .unauthorized)
            #expect(try await api.call(.delete, "/admin/users/\(ids[1])", token: admin).status == .noContent)
            #expect(try await api.call(.get, "/admin/users/\(ids[1])", token: admin).status == .notFound)
            #expect(try await api.call(.get, "/admin/users/not-a-uuid", token: admin).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func listFiltersAndSortsAreValidated(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            for query in [
                "per_page=1000", "per_page=0", "page=0", "sort=password_hash", "is_active=maybe",
                "created_after=yesterday", "page=abc",
            ] {
                let r = try await api.call(.get, "/admin/users?\(query)", token: admin)
                #expect(r.status == .unprocessableContent, "\(query)")
            }
            #expect(try await api.call(.get, "/admin/users?per_page=100", token: admin).status == .ok)
            for sort in UserQuery.Sort.allCases {
                #expect(try await api.call(.get, "/admin/users?sort=\(sort.rawValue)", token: admin).status == .ok)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func searchTreatsWildcardsAndQuotesLiterally(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            for (email, name) in [
                ("percent@example.com", "100% real"), ("under@example.com", "a_b"),
                ("plain@example.com", "aXb 100 real"),
                ("quote@example.com", "O'Brien \"the\" \\back"),
            ] {
                _ = try await api.call(
                    .post,
                    "/admin/users",
                    json: ["email": email, "password": "admin set passphrase", "display_name": name],
                    token: admin
                )
            }
            func search(_ q: String) async throws -> [String] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return try await api.call(.get, "/admin/users?q=\(encoded)", token: admin).items.compactMap {
                    $0["email"] as? String
                }.sorted()
            }
            #expect(try await search("0%") == ["percent@example.com"])
            #expect(try await search("a_b") == ["under@example.com"])
            #expect(try await search("O'Brien") == ["quote@example.com"])
            #expect(try await search("\"the\"") == ["quote@example.com"])
            #expect(try await search("\\back") == ["quote@example.com"])
            #expect(try await search("%") == ["percent@example.com"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func createdAtFiltersAndRoleFilter(_ db: TestDatabase) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        try await withApp(db, clock: clock) { api, _ in
            _ = try await api.register("early@example.com")
            clock.advance(by: 3600)
            _ = try await api.register("late@example.com")
            let admin = try await api.admin().access
            let r = try await api.call(
                .get,
                "/admin/users?created_after=\(Date(timeIntervalSince1970: 1_900_001_000).formatted(.iso8601))",
                token: admin
            )
            #expect(r.items.compactMap { $0["email"] as? String } == ["late@example.com"], "\(r.status) \(r.text)")
            let before = try await api.call(
                .get,
                "/admin/users?created_before=2030-03-17T18:00:00Z&sort=email",
                token: admin
            )
            #expect(before.items.compactMap { $0["email"] as? String } == ["early@example.com", adminEmail])
            let lateUsers = try await api.call(
                .get,
                "/admin/users?created_after=2030-03-17T18:00:00Z&role=user",
                token: admin
            )
            #expect(lateUsers.items.compactMap { $0["email"] as? String } == ["late@example.com"])
            let admins = try await api.call(.get, "/admin/users?role=admin", token: admin)
            #expect(admins.items.compactMap { $0["email"] as? String } == [adminEmail])
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownRolesAndBadInputAre422(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let r = try await api.call(
                .post,
                "/admin/users",
                json: ["email": uniqueEmail(), "password": "admin set passphrase", "roles": ["wizard"]],
                token: admin
            )
            #expect(r.status == .unprocessableContent && r.fieldErrors == ["roles"])
            let missing = try await api.call(.post, "/admin/users", json: ["email": uniqueEmail()], token: admin)
            #expect(missing.status == .unprocessableContent && missing.fieldErrors == ["password"])
            let extra = try await api.call(
                .post,
                "/admin/users",
                json: ["email": uniqueEmail(), "password": "admin set passphrase", "password_hash": "x"],
                token: admin
            )
            #expect(extra.status == .unprocessableContent && extra.fieldErrors == ["password_hash"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func disablingOrRemovingARoleTakesEffectOnTokensAlreadyIssued(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let created = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "auditor", "description": "reads audit", "permissions": ["audit:read"]],
                token: admin
            )
            #expect(created.status == .created && created.json["is_system"] as? Bool == false)
            let (email, before) = try await api.newUser()
            let id = before.userID
            #expect(
                try await api.call(.put, "/admin/users/\(id)", json: ["roles": ["user", "auditor"]], token: admin)
                    .status == .ok
            )
            // Permissions come from current data: even the token issued before the grant has it now.
            #expect(try await api.call(.get, "/admin/audit-events", token: before.access).status == .ok)
            let fresh = try await api.loginTokens(email)
            #expect(
                try await api.call(.put, "/admin/users/\(id)", json: ["roles": ["user"]], token: admin).status == .ok
            )
            #expect(try await api.call(.get, "/admin/audit-events", token: fresh.access).status == .forbidden)
            // Role edits and deletion too.
            #expect(
                try await api.call(.put, "/admin/users/\(id)", json: ["roles": ["user", "auditor"]], token: admin)
                    .status == .ok
            )
            #expect(
                try await api.call(.put, "/admin/roles/auditor", json: ["permissions": ["users:read"]], token: admin)
                    .status == .ok
            )
            #expect(try await api.call(.get, "/admin/audit-events", token: fresh.access).status == .forbidden)
            #expect(try await api.call(.get, "/admin/users", token: fresh.access).status == .ok)
            #expect(try await api.call(.delete, "/admin/roles/auditor", token: admin).status == .noContent)
            #expect(try await api.call(.get, "/admin/users", token: fresh.access).status == .forbidden)
            #expect(try await api.call(.get, "/auth/me", token: fresh.access).json["roles"] as? [String] == ["user"])
            // Disabling kills every token at once.
            #expect(
                try await api.call(.put, "/admin/users/\(id)", json: ["is_active": false], token: admin).status == .ok
            )
            #expect(try await api.call(.get, "/auth/me", token: fresh.access).status == .unauthorized)
            #expect(try await api.refresh(fresh.refresh).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func rolesAreValidatedAndSystemRolesProtected(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let roles = try await api.call(.get, "/admin/roles", token: admin).items
            #expect(roles.compactMap { $0["name"] as? String } == ["admin", "user"])
            #expect(roles.first?["permissions"] as? [String] == ["*"] && roles.first?["is_system"] as? Bool == true)
            let bad = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "Bad Name", "permissions": ["users", "ok:read"]],
                token: admin
            )
            #expect(bad.status == .unprocessableContent && Set(bad.fieldErrors) == ["name", "permissions[0]"])
            #expect(
                try await api.call(
                    .post,
                    "/admin/roles",
                    json: ["name": "ops", "permissions": ["users:*"]],
                    token: admin
                ).status == .created
            )
            #expect(
                try await api.call(.post, "/admin/roles", json: ["name": "ops"], token: admin).code == "role_exists"
            )
            #expect(try await api.call(.delete, "/admin/roles/admin", token: admin).code == "system_role")
            #expect(try await api.call(.delete, "/admin/roles/user", token: admin).code == "system_role")
            #expect(
                try await api.call(.put, "/admin/roles/admin", json: ["permissions": ["users:read"]], token: admin).code
                    == "system_role"
            )
            #expect(
                try await api.call(.put, "/admin/roles/admin", json: ["description": "Everything"], token: admin).status
                    == .ok
            )
            #expect(try await api.call(.delete, "/admin/roles/nope", token: admin).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func adminsCannotDeleteThemselvesNorTheLastHolderOfStar(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin()
            let selfDelete = try await api.call(.delete, "/admin/users/\(admin.userID)", token: admin.access)
            #expect(selfDelete.status == .conflict && selfDelete.code == "cannot_delete_self")
            // A second admin with users:* but not * cannot touch the holder of * at all (delegation).
            #expect(
                try await api.call(
                    .post,
                    "/admin/roles",
                    json: ["name": "useradmin", "permissions": ["users:*"]],
                    token: admin.access
                ).status == .created
            )
            let (email, _) = try await api.newUser()
            let id = try #require(try await app.services.store.users.find(email: email)?.id)
            _ = try await api.call(.put, "/admin/users/\(id)", json: ["roles": ["useradmin"]], token: admin.access)
            let helper = try await api.loginTokens(email)
            let last = try await api.call(.delete, "/admin/users/\(admin.userID)", token: helper.access)
            #expect(last.status == .forbidden && last.code == "insufficient_privileges")
            let disable = try await api.call(
                .put,
                "/admin/users/\(admin.userID)",
                json: ["is_active": false],
                token: helper.access
            )
            #expect(disable.code == "insufficient_privileges")
            // The only holder of * cannot demote or disable itself either.
            let demote = try await api.call(
                .put,
                "/admin/users/\(admin.userID)",
                json: ["roles": ["user"]],
                token: admin.access
            )
            #expect(demote.status == .conflict && demote.code == "last_admin")
            let disableSelf = try await api.call(
                .put,
                "/admin/users/\(admin.userID)",
                json: ["is_active": false],
                token: admin.access
            )
            #expect(disableSelf.code == "last_admin")
            #expect(
                try await api.call(.get, "/auth/me", token: admin.access).json["roles"] as? [String] == [
                    "admin", "user",
                ]
            )
        }
    }

    @Test(arguments: TestDatabase.all)
    func adminSeesAndEndsAUsersSessions(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let (email, tokens) = try await api.newUser()
            _ = try await api.loginTokens(email)
            let sessions = try await api.call(.get, "/admin/users/\(tokens.userID)/sessions", token: admin)
            #expect(sessions.items.count == 2)
            #expect(
                try await api.call(.delete, "/admin/users/\(tokens.userID)/sessions", token: admin).status == .noContent
            )
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await api.call(.get, "/admin/users/\(tokens.userID)/sessions", token: admin).items.isEmpty)
            #expect(try await api.call(.get, "/admin/users/\(UUID())/sessions", token: admin).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAUserEndsItsSessions(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let admin = try await api.admin().access
            let (_, tokens) = try await api.newUser()
            #expect(try await api.call(.delete, "/admin/users/\(tokens.userID)", token: admin).status == .noContent)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
            let id = try #require(UUID(uuidString: tokens.userID))
            #expect(try await app.services.store.sessions.list(userID: id, activeAt: Date(), idleTimeout: 1e9).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func auditEventsAreFilteredPagedNewestFirstAndHoldNoSecrets(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin().access
            let (email, tokens) = try await api.newUser()
            _ = try await api.login(email, "wrong password entirely")
            _ = try await api.refresh(tokens.refresh)
            let all = try await api.call(.get, "/admin/audit-events?user_id=\(tokens.userID)", token: admin)
            let actions = all.items.compactMap { $0["action"] as? String }
            // Registration records two events in one transaction (the account and its verification mail).
            #expect(actions.prefix(3) == ["token.refreshed", "login.failed", "login.succeeded"], "\(actions)")
            #expect(Set(actions.dropFirst(3)) == ["user.registered", "email.verification_sent"], "\(actions)")
            let first = try #require(all.items.first)
            #expect(
                Set(first.keys) == [
                    "id", "occurred_at", "action", "outcome", "actor_id", "user_id", "ip", "user_agent", "request_id",
                    "details",
                ]
            )
            #expect(
                !all.text.contains(defaultPassword) && !all.text.contains("wrong password")
                    && !all.text.contains(tokens.refresh)
            )
            #expect(!all.text.contains(tokens.access) && !all.text.contains("$2"))
            let failures = try await api.call(
                .get,
                "/admin/audit-events?user_id=\(tokens.userID)&outcome=failure",
                token: admin
            )
            #expect(failures.items.compactMap { $0["action"] as? String } == ["login.failed"])
            let paged = try await api.call(
                .get,
                "/admin/audit-events?user_id=\(tokens.userID)&per_page=1&page=2",
                token: admin
            )
            #expect(
                paged.items.compactMap { $0["action"] as? String } == ["login.failed"] && paged["total"] as? Int == 5
            )
            let since = try await api.call(.get, "/admin/audit-events?since=2999-01-01T00:00:00Z", token: admin)
            #expect(since.items.isEmpty)
            #expect(
                try await api.call(.get, "/admin/audit-events?user_id=nope", token: admin).status
                    == .unprocessableContent
            )
        }
    }
}
