import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// Personal access tokens, end to end over HTTP, on SQLite and PostgreSQL.
@Suite struct PersonalTokenTests {
    static func create(
        _ api: TestAPI,
        _ access: String,
        name: String = "laptop",
        permissions: [String] = [],
        extra: [String: any Sendable] = [:]
    ) async throws -> HTTPResult {
        var body: [String: any Sendable] = ["name": name, "permissions": permissions]
        body.merge(extra) { $1 }
        return try await api.call(.post, "/auth/tokens", json: body, token: access)
    }

    @Test(arguments: TestDatabase.all)
    func issueUseListAndRevoke(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, user) = try await api.newUser()
            let r = try await Self.create(api, user.access)
            #expect(r.status == .created, "\(r.text)")
            #expect(r.header("Cache-Control") == "no-store")
            let pat = try #require(r.string("token"))
            #expect(pat.wholeMatch(of: /authd_pat_[0-9A-Za-z]{49}/) != nil)
            #expect(r["expires_at"] is String && r["permissions"] as? [String] == [])
            let id = try #require(r.string("id"))

            // Stored only as its SHA-256.
            let stored = try await app.services.store.personalTokens.state(hash: SecureToken.hash(pat))
            #expect(stored?.token.id.uuidString.lowercased() == id)

            #expect(try await api.call(.get, "/auth/me", token: pat).status == .ok)
            let verified = try await api.verify(pat, client: svc)
            #expect(verified["active"] as? Bool == true && verified.string("token_type") == "pat")
            #expect(verified.string("sub") == user.userID && verified["sid"] == nil)
            #expect(verified["exp"] is Int && verified.string("iss") == "http://authd.test")

            let listed = try await api.call(.get, "/auth/tokens", token: user.access)
            #expect(listed.items.count == 1 && listed.items.first?["token"] == nil)
            #expect(listed.items.first?["name"] as? String == "laptop")
            #expect(!listed.text.contains(pat))

            #expect(try await api.call(.delete, "/auth/tokens/\(id)", token: user.access).status == .noContent)
            #expect(try await api.verify(pat, client: svc).text == #"{"active":false}"#)
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .unauthorized)
            #expect(try await api.call(.delete, "/auth/tokens/\(id)", token: user.access).status == .notFound)
            #expect(try await api.call(.get, "/auth/tokens", token: user.access).items.isEmpty)

            // Presented again after revocation: audited.
            let audit = try await api.call(
                .get,
                "/admin/audit-events?action=token.used_after_revoke",
                token: admin.access
            )
            #expect(audit.items.count == 1, "\(audit.text)")
            let created = try await api.call(.get, "/admin/audit-events?action=token.created", token: admin.access)
            #expect(created.items.count == 1 && !created.text.contains(pat))
        }
    }

    /// A token carries at most what its user holds now: removing a role narrows it at once.
    @Test(arguments: TestDatabase.all)
    func effectivePermissionsAreTheIntersectionWithTheUsersCurrentOnes(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let reader = try await DelegationTests.delegate(
                api,
                admin: admin,
                role: "reader-\(UUID().uuidString.prefix(6).lowercased())",
                permissions: ["users:read", "audit:read"]
            )
            // More than the user holds: refused with what is missing.
            let tooMuch = try await Self.create(api, reader.access, permissions: ["users:read", "users:write"])
            #expect(tooMuch.status == .forbidden && tooMuch.code == "insufficient_privileges")
            #expect(DelegationTests.missing(tooMuch) == ["users:write"])

            let r = try await Self.create(api, reader.access, permissions: ["users:read"])
            let pat = try #require(r.string("token"))
            var v = try await api.verify(pat, client: svc, required: ["users:read"])
            #expect(v["permissions"] as? [String] == ["users:read"] && v["allowed"] as? Bool == true)
            // The token's list bounds it even though the user holds audit:read.
            v = try await api.verify(pat, client: svc, required: ["audit:read"])
            #expect(v["allowed"] as? Bool == false)
            #expect(try await api.call(.get, "/admin/users", token: pat).status == .ok)
            #expect(try await api.call(.get, "/admin/audit-events", token: pat).status == .forbidden)

            // The user loses the role: the token narrows to nothing, at once.
            #expect(
                try await api.call(
                    .put,
                    "/admin/users/\(reader.userID)",
                    json: ["roles": ["user"]],
                    token: admin.access
                )
                .status == .ok
            )
            v = try await api.verify(pat, client: svc, required: ["users:read"])
            #expect(
                v["active"] as? Bool == true && v["permissions"] as? [String] == [] && v["allowed"] as? Bool == false
            )
            #expect(try await api.call(.get, "/admin/users", token: pat).status == .forbidden)

            // Disabling the user ends the token.
            #expect(
                try await api.call(
                    .put,
                    "/admin/users/\(reader.userID)",
                    json: ["is_active": false],
                    token: admin.access
                )
                .status == .ok
            )
            #expect(try await api.verify(pat, client: svc).text == #"{"active":false}"#)
        }
    }

    /// A token cannot mint tokens or change credentials, nor end a session it does not have.
    @Test(arguments: TestDatabase.all)
    func aTokenIsRefusedOnCredentialAndTokenRoutes(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let (email, user) = try await api.newUser()
            let pat = try #require(try await Self.create(api, user.access).string("token"))
            let refusals: [(HTTPRequest.Method, String, [String: any Sendable]?)] = [
                (.post, "/auth/tokens", ["name": "x", "permissions": [String]()]),
                (
                    .post, "/auth/change-password",
                    ["current_password": defaultPassword, "new_password": "another passphrase 1"]
                ),
                (.put, "/auth/me", ["email": "new-\(email)", "current_password": defaultPassword]),
                (.post, "/auth/logout", nil),
            ]
            for (method, path, body) in refusals {
                let r = try await api.call(method, path, json: body, token: pat)
                #expect(r.status == .forbidden && r.code == "session_required", "\(path): \(r.text)")
            }
            // Nothing changed.
            _ = try await api.loginTokens(email)
            // What the user may do with it otherwise still works.
            #expect(try await api.call(.put, "/auth/me", json: ["display_name": "Bot"], token: pat).status == .ok)
            #expect(try await api.call(.get, "/auth/sessions", token: pat).status == .ok)
        }
    }

    /// A one-character change breaks the checksum: refused before any database read, like any garbage.
    @Test(arguments: TestDatabase.all)
    func malformedAndAlteredTokensAreRefused(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, user) = try await api.newUser()
            let pat = try #require(try await Self.create(api, user.access).string("token"))
            var altered = Array(pat)
            let i = altered.count - 10
            altered[i] = altered[i] == "a" ? "b" : "a"
            for bad in [
                String(altered), pat + "x", String(pat.dropLast()), "authd_pat_",
                "authd_pat_" + String(repeating: "0", count: 49),
            ] {
                #expect(try await api.call(.get, "/auth/me", token: bad).status == .unauthorized, "\(bad)")
                #expect(try await api.verify(bad, client: svc).text == #"{"active":false}"#)
            }
            #expect(!PersonalTokenFormat.isWellFormed(String(altered)) && PersonalTokenFormat.isWellFormed(pat))
        }
    }

    @Test(arguments: TestDatabase.all)
    func badRequestsGetClearErrorsAndCreateNothing(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let (_, user) = try await api.newUser()
            let cases: [([String: any Sendable], String)] = [
                (["name": "", "permissions": [String]()], "name"),
                (["name": String(repeating: "n", count: 101), "permissions": [String]()], "name"),
                (["name": "x", "permissions": ["not a permission"]], "permissions"),
                (["name": "x", "permissions": [String](), "expires_in": 10], "expires_in"),
                (["name": "x", "permissions": [String](), "expires_in": 400 * 86_400], "expires_in"),
                (["name": "x", "permissions": [String](), "never_expires": true], "never_expires"),
                (["name": "x", "permissions": [String](), "surprise": 1], "surprise"),
            ]
            for (body, field) in cases {
                let r = try await api.call(.post, "/auth/tokens", json: body, token: user.access)
                #expect(r.status == .unprocessableContent && r.fieldErrors.contains(field), "\(body): \(r.text)")
            }
            #expect(try await api.call(.post, "/auth/tokens", raw: "{", token: user.access).status == .badRequest)
            #expect(
                try await api.call(.post, "/auth/tokens", json: ["name": "x"], token: user.access).status.code == 422
            )
            let id = try #require(UUID(uuidString: user.userID))
            #expect(try await app.services.store.personalTokens.list(userID: id).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func lifetimeDefaultsToNinetyDaysAndNeverExpiringNeedsTheSetting(_ database: TestDatabase) async throws {
        try await withApp(database, configure: { $0.personalTokenAllowNonExpiring = true }) { api, _ in
            let (_, user) = try await api.newUser()
            let r = try await Self.create(api, user.access)
            let expires = try #require(r.string("expires_at").flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 90 * 86_400) < 120)
            let never = try await Self.create(api, user.access, extra: ["never_expires": true])
            #expect(never.status == .created && never.json["expires_at"] is NSNull, "\(never.text)")
            let short = try await Self.create(api, user.access, extra: ["expires_in": 3600])
            let at = try #require(short.string("expires_at").flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(at.timeIntervalSinceNow - 3600) < 120)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredTokenIsRefused(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock) { api, _ in
            let (_, user) = try await api.newUser()
            let pat = try #require(try await Self.create(api, user.access, extra: ["expires_in": 60]).string("token"))
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .ok)
            clock.advance(by: 61)
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .unauthorized)
        }
    }

    /// Admins list and revoke anyone's tokens, under the delegation rule.
    @Test(arguments: TestDatabase.all)
    func adminsListAndRevokeUnderTheDelegationRule(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, user) = try await api.newUser()
            let created = try await Self.create(api, user.access)
            let pat = try #require(created.string("token"))
            let id = try #require(created.string("id"))
            let listed = try await api.call(.get, "/admin/users/\(user.userID)/tokens", token: admin.access)
            #expect(listed.status == .ok && listed.items.count == 1 && !listed.text.contains(pat))

            // A token manager without `*` cannot revoke an admin's token.
            let manager = try await DelegationTests.delegate(
                api,
                admin: admin,
                role: "tokens-\(UUID().uuidString.prefix(6).lowercased())",
                permissions: ["tokens:read", "tokens:write"]
            )
            let adminPAT = try await Self.create(api, admin.access, permissions: ["*"])
            let adminTokenID = try #require(adminPAT.string("id"))
            let adminID = try #require(try await api.call(.get, "/auth/me", token: admin.access).string("id"))
            let refused = try await api.call(
                .delete,
                "/admin/users/\(adminID)/tokens/\(adminTokenID)",
                token: manager.access
            )
            #expect(refused.status == .forbidden && refused.code == "insufficient_privileges")
            // A user with nothing beyond `user` is covered: its token is revoked.
            let revoked = try await api.call(.delete, "/admin/users/\(user.userID)/tokens/\(id)", token: manager.access)
            #expect(revoked.status == .noContent, "\(revoked.text)")
            #expect(try await api.verify(pat, client: svc).text == #"{"active":false}"#)
            // Someone else's token id under another user is not found.
            let (_, other) = try await api.newUser()
            let elsewhere = try await api.call(
                .delete,
                "/admin/users/\(other.userID)/tokens/\(adminTokenID)",
                token: admin.access
            )
            #expect(elsewhere.status == .notFound && elsewhere.code == "token_not_found")
            #expect(try await api.call(.get, "/admin/users/\(UUID())/tokens", token: admin.access).status == .notFound)
            #expect(
                try await api.call(.get, "/admin/users/\(user.userID)/tokens", token: user.access).status == .forbidden
            )
        }
    }

    /// Deleting the user ends its tokens; the rows go with it.
    @Test(arguments: TestDatabase.all)
    func deletingTheUserEndsItsTokens(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (_, user) = try await api.newUser()
            let pat = try #require(try await Self.create(api, user.access).string("token"))
            #expect(try await api.verify(pat, client: svc)["active"] as? Bool == true)
            #expect(
                try await api.call(.delete, "/admin/users/\(user.userID)", token: admin.access).status == .noContent
            )
            #expect(try await api.verify(pat, client: svc).text == #"{"active":false}"#)
            #expect(try await app.services.store.personalTokens.state(hash: SecureToken.hash(pat)) == nil)
        }
    }

    /// `last_used_at` is recorded, but not on every request.
    @Test(arguments: TestDatabase.all)
    func useIsRecordedAtMostOnceAMinute(_ database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await withApp(database, clock: clock) { api, app in
            let (_, user) = try await api.newUser()
            let created = try await Self.create(api, user.access)
            let pat = try #require(created.string("token"))
            let id = try #require(created.string("id").flatMap(UUID.init(uuidString:)))
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .ok)
            #expect(
                await eventually { (try? await app.services.store.personalTokens.find(id: id))??.lastUsedAt != nil }
            )
            let first = try await app.services.store.personalTokens.find(id: id)?.lastUsedAt
            clock.advance(by: 30)
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .ok)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await app.services.store.personalTokens.find(id: id)?.lastUsedAt == first)
            clock.advance(by: 31)
            #expect(try await api.call(.get, "/auth/me", token: pat).status == .ok)
            #expect(
                await eventually { (try? await app.services.store.personalTokens.find(id: id))??.lastUsedAt != first }
            )
            let listed = try await api.call(.get, "/auth/tokens", token: user.access)
            #expect(listed.items.first?["last_used_at"] is String)
        }
    }

    /// Concurrent creations at the cap: exactly the room left is taken, however they interleave.
    @Test(arguments: TestDatabase.all)
    func concurrentCreationsNeverPassTheCap(_ database: TestDatabase) async throws {
        try await withApp(database, configure: { $0.personalTokenMaxPerUser = 3 }) { api, app in
            let (_, user) = try await api.newUser()
            #expect(try await Self.create(api, user.access).status == .created)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 { group.addTask { try await Self.create(api, user.access).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 2, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 8)
            let id = try #require(UUID(uuidString: user.userID))
            #expect(try await app.services.store.personalTokens.list(userID: id).count == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aUserHoldsAtMostTheConfiguredNumberOfTokens(_ database: TestDatabase) async throws {
        try await withApp(database, configure: { $0.personalTokenMaxPerUser = 2 }) { api, _ in
            let (_, user) = try await api.newUser()
            #expect(try await Self.create(api, user.access).status == .created)
            let second = try await Self.create(api, user.access)
            #expect(second.status == .created)
            let third = try await Self.create(api, user.access)
            #expect(third.status == .conflict && third.code == "too_many_tokens")
            let id = try #require(second.string("id"))
            #expect(try await api.call(.delete, "/auth/tokens/\(id)", token: user.access).status == .noContent)
            #expect(try await Self.create(api, user.access).status == .created)
        }
    }
}

@Suite struct PersonalTokenFormatTests {
    @Test func tokensAreLongRandomAndChecksummed() {
        let tokens = (0..<200).map { _ in PersonalTokenFormat.generate() }
        #expect(Set(tokens).count == tokens.count)
        for token in tokens {
            #expect(token.count == PersonalTokenFormat.length && PersonalTokenFormat.isWellFormed(token))
            #expect(token.wholeMatch(of: /authd_pat_[0-9A-Za-z]{49}/) != nil)
        }
        // Every single-character change of one token is caught by the checksum.
        let token = Array(tokens[0])
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var caught = 0
        var changes = 0
        for i in PersonalTokenFormat.prefix.count..<token.count {
            for c in alphabet where c != token[i] {
                var changed = token
                changed[i] = c
                changes += 1
                if !PersonalTokenFormat.isWellFormed(String(changed)) { caught += 1 }
            }
        }
        #expect(caught == changes)
    }

    @Test func theIntersectionHonoursWildcards() {
        #expect(Permission.intersection(["users:*"], ["users:read", "roles:read"]) == ["users:read"])
        #expect(Permission.intersection(["*"], ["users:read"]) == ["users:read"])
        #expect(Permission.intersection(["users:read"], ["*"]) == ["users:read"])
        #expect(Permission.intersection([], ["*"]) == [])
        #expect(Permission.intersection(["users:read", "audit:read"], ["users:*"]) == ["users:read"])
    }
}
