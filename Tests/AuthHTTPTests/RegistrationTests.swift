import AuthCore
import AuthHTTP
import AuthPersistence
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct RegistrationTests {
    @Test(arguments: TestDatabase.all)
    func registerReturnsTheUserWithoutSecrets(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let r = try await api.register(
                "  Ada@Example.COM ",
                extra: [
                    "display_name": "Ada Lovelace", "given_name": "Ada", "locale": "en-GB",
                    "timezone": "Europe/London", "avatar_url": "https://example.com/a.png",
                ]
            )
            #expect(r.status == .created, "\(r.text)")
            let user = try #require(r["user"] as? [String: Any])
            #expect(user["email"] as? String == "ada@example.com")
            #expect(user["display_name"] as? String == "Ada Lovelace")
            #expect(user["roles"] as? [String] == ["user"])
            #expect(user["is_active"] as? Bool == true && user["is_verified"] as? Bool == false)
            #expect(user.keys.contains("family_name") && user["family_name"] is NSNull)
            #expect(!r.text.contains("password") && !r.text.contains("$2"))
            let stored = try #require(try await app.services.store.users.find(email: "ada@example.com"))
            #expect(stored.passwordHash.hasPrefix("$2") && stored.passwordHash != defaultPassword)
            let events = try await app.services.store.audit.list(AuditQuery()).items
            #expect(events.contains { $0.action == "user.registered" && $0.userID == stored.id })
        }
    }

    @Test(arguments: TestDatabase.all)
    func duplicateEmailConflictsInAnyCase(_ db: TestDatabase) async throws {
        try await withApp(db) { api, _ in
            #expect(try await api.register("bob@example.com").status == .created)
            let r = try await api.register("BOB@Example.com")
            #expect(r.status == .conflict && r.code == "email_taken")
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentRegistrationsOfOneEmailCreateExactlyOneAccount(_ db: TestDatabase) async throws {
        try await withApp(db) { api, app in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { Int(try await api.register("race@example.com").status.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 7, "\(statuses)")
            let page = try await app.services.store.users.list(
                {
                    var q = UserQuery()
                    q.search = "race@"
                    return q
                }()
            )
            #expect(page.total == 1)
        }
    }

    @Test(arguments: [
        ("not-an-email", defaultPassword, "email", "invalid_format"),
        ("a@example.com", "short", "password", "too_short"),
        ("a@example.com", String(repeating: "ab", count: 36) + "c", "password", "too_long"),
        ("a@example.com", "abcd\u{0}efghij", "password", "invalid_characters"),
        ("a@example.com", "password123", "password", "too_common"),
        ("same@example.com", "same@example.com", "password", "matches_email"),
    ])
    func invalidInputIs422NamingTheField(
        _ email: String,
        _ password: String,
        _ field: String,
        _ code: String
    ) async throws {
        try await withApp(.sqlite) { api, app in
            let r = try await api.register(email, password: password)
            #expect(r.status == .unprocessableContent && r.code == "validation_failed", "\(r.text)")
            let errors = r.json["errors"] as? [[String: Any]] ?? []
            #expect(errors.contains { $0["field"] as? String == field && $0["code"] as? String == code }, "\(r.text)")
            #expect(try await app.services.store.users.find(email: email.lowercased()) == nil)
        }
    }

    @Test func longUnicodePassphrasesUpTo72BytesAreAccepted() async throws {
        try await withApp(.sqlite) { api, _ in
            let accented = try await api.register(uniqueEmail(), password: String(repeating: "é", count: 36))
            #expect(accented.status == .created, "\(accented.text)")
            let long = try await api.register(uniqueEmail(), password: String(repeating: "wxyz", count: 16))
            #expect(long.status == .created, "\(long.text)")
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withApp(.sqlite) { api, _ in
            let duplicate = "{\"email\":\"\(uniqueEmail())\",\"password\":\"x\",\"password\":\"\(defaultPassword)\"}"
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            for raw in ["{not json", duplicate, "{\"email\":\"a@example.com\",}", deep, "{\"a\":1}{}"] {
                let r = try await api.call(.post, "/auth/register", raw: raw)
                #expect(r.status == .badRequest && r.code == "malformed_request", "\(raw.prefix(40))")
                #expect(r.header("Content-Type") == "application/problem+json")
            }
        }
    }

    @Test func wrongContentTypeIs400() async throws {
        try await withApp(.sqlite) { api, _ in
            let r = try await api.call(
                .post,
                "/auth/register",
                raw: "email=a@example.com",
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(r.status == .badRequest && r.code == "unsupported_media_type")
        }
    }

    @Test func nonObjectAndWrongTypesAre422() async throws {
        try await withApp(.sqlite) { api, _ in
            #expect(try await api.call(.post, "/auth/register", raw: "[1,2]").status == .unprocessableContent)
            let r = try await api.call(.post, "/auth/register", json: ["email": 12, "password": ["x"]])
            #expect(r.status == .unprocessableContent && Set(r.fieldErrors) == ["email", "password"])
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withApp(.sqlite) { api, _ in
            let big = "{\"email\":\"a@example.com\",\"password\":\"" + String(repeating: "x", count: 70_000) + "\"}"
            let r = try await api.call(.post, "/auth/register", raw: big)
            #expect(r.status == .contentTooLarge && r.code == "payload_too_large")
        }
    }

    @Test func fieldsAUserMayNotSetAreRefused() async throws {
        try await withApp(.sqlite) { api, app in
            let r = try await api.register("sneaky@example.com", extra: ["roles": ["admin"], "is_verified": true])
            #expect(r.status == .unprocessableContent && Set(r.fieldErrors) == ["roles", "is_verified"])
            #expect(try await app.services.store.users.find(email: "sneaky@example.com") == nil)
        }
    }
}
