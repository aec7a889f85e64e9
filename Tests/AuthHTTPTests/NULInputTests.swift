import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// PostgreSQL's text cannot hold U+0000. Every route refuses it (or, for login, answers as for a wrong email or
/// password) before any query, with the same answer on both databases: never a 500.
@Suite struct NULInputTests {
    @Test(arguments: TestDatabase.all)
    func loginAnswersANulInTheEmailOrPasswordAsInvalidCredentials(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let (email, _) = try await api.newUser()
            for body in [
                #"{"email": "a\u0000b@example.com", "password": "correct horse battery staple"}"#,
                #"{"email": "\#(email)\u0000", "password": "correct horse battery staple"}"#,
                // bcrypt stops at a NUL: the right password followed by junk must not match.
                #"{"email": "\#(email)", "password": "correct horse battery staple\u0000junk"}"#,
            ] {
                let r = try await api.call(.post, "/auth/login", raw: body)
                #expect(r.status == .unauthorized && r.code == "invalid_credentials", "\(body): \(r.text)")
            }
            #expect(try await api.login(email).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func bodiesWithANulAnywhereAre422NamingThePlace(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            let user = try await api.newUser()
            let cases: [(HTTPRequest.Method, String, String, String?, String)] = [
                (.post, "/auth/refresh", #"{"refresh_token": "abc", "ignored": "\u0000"}"#, nil, "-"),
                (
                    .post, "/auth/register", #"{"email": "x\u0000@example.com", "password": "long enough pass"}"#, nil,
                    "email"
                ),
                (
                    .post, "/auth/register", #"{"email": "ok@example.com", "password": "long enough\u0000"}"#, nil,
                    "password"
                ),
                (
                    .post, "/auth/register",
                    #"{"email": "ok2@example.com", "password": "long enough pass", "x": {"y": ["\u0000"]}}"#, nil,
                    "x.y[0]"
                ),
                (.post, "/auth/refresh", #"{"refresh_token": "abc\u0000"}"#, nil, "refresh_token"),
                (.put, "/auth/me", #"{"display_name": "Ada\u0000"}"#, user.tokens.access, "display_name"),
                (.post, "/admin/roles", #"{"name": "r1", "description": "d\u0000"}"#, admin.access, "description"),
                (
                    .post, "/admin/roles", #"{"name": "r2", "permissions": ["users:read\u0000"]}"#, admin.access,
                    "permissions[0]"
                ),
                (
                    .post, "/admin/users",
                    #"{"email": "n@example.com", "password": "long enough pass", "roles": ["user\u0000"]}"#,
                    admin.access, "roles[0]"
                ),
                (.post, "/admin/service-clients", #"{"name": "svc\u0000"}"#, admin.access, "name"),
            ]
            for (method, path, body, token, field) in cases {
                let r = try await api.call(method, path, raw: body, token: token)
                if field == "-" {
                    // A member the route ignores is dropped unread: nothing refuses its NUL.
                    #expect(r.status == .unauthorized && r.code == "invalid_refresh_token", "\(body): \(r.text)")
                    continue
                }
                #expect(r.status == .unprocessableContent, "\(path) \(body): \(r.text)")
                #expect(r.fieldErrors.first == field, "\(path) \(body): \(r.text)")
            }
            // Nothing was created along the way.
            #expect(try await api.login("ok@example.com", "long enough pass").status == .unauthorized)
            let roles = try await api.call(.get, "/admin/roles", token: admin.access)
            #expect(!roles.text.contains("\"r1\"") && !roles.text.contains("\"r2\""))
        }
    }

    @Test(arguments: TestDatabase.all)
    func queryParametersAndPathsWithANulAreRefusedBeforeAnyQuery(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let admin = try await api.admin()
            for (path, field) in [
                ("/admin/users?q=a%00b", "q"), ("/admin/users?role=a%00", "role"),
                ("/admin/audit-events?action=x%00", "action"), ("/admin/users?sort=email%00", "sort"),
            ] {
                let r = try await api.call(.get, path, token: admin.access)
                #expect(r.status == .unprocessableContent && r.fieldErrors == [field], "\(path): \(r.text)")
            }
            for method in [HTTPRequest.Method.put, .delete] {
                let r = try await api.call(
                    method,
                    "/admin/roles/a%00b",
                    json: method == .put ? [:] : nil,
                    token: admin.access
                )
                #expect(r.status == .notFound && r.code == "role_not_found", "\(method): \(r.text)")
            }
            // A service client id with a NUL is simply not a client.
            let r = try await api.verify("token", client: (id: "svc_\u{0}x", secret: "secret"))
            #expect(r.status == .unauthorized && r.code == "invalid_client")
        }
    }
}
