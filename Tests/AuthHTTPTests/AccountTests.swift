import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct AccountTests {
    @Test(arguments: TestDatabase.all)
    func logoutRevokesTheSessionAtOnce(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let admin = try await api.admin()
            let svc = try await api.serviceClient(admin: admin.access)
            let (email, tokens) = try await api.newUser()
            let other = try await api.loginTokens(email)
            #expect(try await api.verify(tokens.access, client: svc).json["active"] as? Bool == true)
            #expect(try await api.call(.post, "/auth/logout", token: tokens.access).status == .noContent)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .unauthorized)
            #expect(try await api.verify(tokens.access, client: svc).text == "{\"active\":false}")
            #expect(try await api.refresh(tokens.refresh).status == .unauthorized)
            // The user's other session is untouched.
            #expect(try await api.call(.get, "/auth/me", token: other.access).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func logoutOfAllSessionsEndsEveryOne(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let (email, tokens) = try await api.newUser()
            let other = try await api.loginTokens(email)
            #expect(
                try await api.call(.post, "/auth/logout", json: ["all_sessions": true], token: tokens.access).status
                    == .noContent
            )
            #expect(try await api.call(.get, "/auth/me", token: other.access).status == .unauthorized)
            #expect(try await api.refresh(other.refresh).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func profileUpdateChangesOnlyProfileFields(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let (_, tokens) = try await api.newUser()
            let r = try await api.call(
                .put,
                "/auth/me",
                json: ["display_name": "New Name", "locale": "fr-FR", "timezone": "Europe/Paris"],
                token: tokens.access
            )
            #expect(
                r.status == .ok && r.string("display_name") == "New Name" && r.string("locale") == "fr-FR",
                "\(r.text)"
            )
            let cleared = try await api.call(.put, "/auth/me", json: ["display_name": NSNull()], token: tokens.access)
            #expect(cleared.json["display_name"] is NSNull && cleared.string("locale") == "fr-FR")
            let bad = try await api.call(
                .put,
                "/auth/me",
                json: ["avatar_url": "javascript:alert(1)", "locale": "<script>"],
                token: tokens.access
            )
            #expect(bad.status == .unprocessableContent && Set(bad.fieldErrors) == ["avatar_url", "locale"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func massAssignmentIsRefusedAndChangesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let (_, tokens) = try await api.newUser()
            for field: (String, any Sendable) in [
                ("roles", ["admin"]), ("permissions", ["*"]), ("is_active", false), ("is_verified", true),
                ("id", UUID().uuidString), ("password_hash", "x"), ("created_at", "2020-01-01T00:00:00Z"),
            ] {
                let r = try await api.call(
                    .put,
                    "/auth/me",
                    json: [field.0: field.1, "display_name": "Changed"],
                    token: tokens.access
                )
                #expect(r.status == .unprocessableContent && r.fieldErrors == [field.0], "\(field.0): \(r.text)")
            }
            let me = try await api.call(.get, "/auth/me", token: tokens.access)
            #expect(me.json["roles"] as? [String] == ["user"] && me.json["permissions"] as? [String] == [])
            #expect(me.json["is_verified"] as? Bool == false && me.json["display_name"] is NSNull)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingTheEmailNeedsTheCurrentPassword(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let (email, tokens) = try await api.newUser()
            let taken = try await api.newUser()
            let newEmail = uniqueEmail()
            let missing = try await api.call(.put, "/auth/me", json: ["email": newEmail], token: tokens.access)
            #expect(missing.status == .unprocessableContent && missing.fieldErrors == ["current_password"])
            let wrong = try await api.call(
                .put,
                "/auth/me",
                json: ["email": newEmail, "current_password": "not my password"],
                token: tokens.access
            )
            #expect(wrong.status == .unprocessableContent && wrong.code == "invalid_current_password")
            let conflict = try await api.call(
                .put,
                "/auth/me",
                json: ["email": taken.email, "current_password": defaultPassword],
                token: tokens.access
            )
            #expect(conflict.status == .conflict && conflict.code == "email_taken")
            let ok = try await api.call(
                .put,
                "/auth/me",
                json: ["email": newEmail.uppercased(), "current_password": defaultPassword],
                token: tokens.access
            )
            #expect(ok.status == .ok && ok.string("email") == newEmail)
            #expect(try await api.login(newEmail).status == .ok)
            #expect(try await api.login(email).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changePasswordNeedsTheCurrentOneAndEndsOtherSessions(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let (email, tokens) = try await api.newUser()
            let other = try await api.loginTokens(email)
            let wrong = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": "wrong one here", "new_password": "another long passphrase"],
                token: tokens.access
            )
            #expect(wrong.status == .unprocessableContent && wrong.code == "invalid_current_password")
            let weak = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": defaultPassword, "new_password": "short"],
                token: tokens.access
            )
            #expect(weak.status == .unprocessableContent && weak.fieldErrors == ["new_password"])
            let ok = try await api.call(
                .post,
                "/auth/change-password",
                json: ["current_password": defaultPassword, "new_password": "another long passphrase"],
                token: tokens.access
            )
            #expect(ok.status == .noContent, "\(ok.text)")
            #expect(try await api.login(email).status == .unauthorized)
            #expect(try await api.login(email, "another long passphrase").status == .ok)
            #expect(try await api.refresh(other.refresh).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: other.access).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: tokens.access).status == .ok)
            let events = try await app.services.store.audit.list(
                {
                    var q = AuditQuery()
                    q.action = "password.changed"
                    return q
                }()
            )
            #expect(events.total == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionsAreListedAndRevokedOnlyByTheirOwner(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            let (email, tokens) = try await api.newUser()
            let second = try await api.loginTokens(email)
            let items = try await api.call(.get, "/auth/sessions", token: tokens.access).items
            #expect(items.count == 2 && items.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(
                Set(items.first?.keys.map { $0 } ?? []) == [
                    "id", "created_at", "last_used_at", "expires_at", "ip", "user_agent", "current", "aal", "amr",
                ]
            )
            let other = try #require(items.first { $0["current"] as? Bool == false }?["id"] as? String)
            let stranger = try await api.newUser()
            #expect(
                try await api.call(.delete, "/auth/sessions/\(other)", token: stranger.tokens.access).status
                    == .notFound
            )
            #expect(try await api.call(.delete, "/auth/sessions/not-a-uuid", token: tokens.access).status == .notFound)
            #expect(try await api.call(.get, "/auth/me", token: second.access).status == .ok)
            #expect(try await api.call(.delete, "/auth/sessions/\(other)", token: tokens.access).status == .noContent)
            #expect(try await api.call(.get, "/auth/me", token: second.access).status == .unauthorized)
            #expect(try await api.call(.get, "/auth/sessions", token: tokens.access).items.count == 1)
        }
    }
}
