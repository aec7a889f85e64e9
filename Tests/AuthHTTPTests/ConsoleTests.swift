import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// The admin console over HTTP, as a browser without JavaScript uses it: cookies, forms and redirects, on SQLite and
/// PostgreSQL. (`.ci/e2e-console` drives it in Chromium.)
@Suite struct ConsoleTests {
    /// A browser's cookie jar over `TestAPI`.
    final class Browser: @unchecked Sendable {
        let api: TestAPI
        var cookies: [String: String] = [:]
        init(_ api: TestAPI) { self.api = api }

        @discardableResult
        func request(
            _ method: HTTPRequest.Method,
            _ path: String,
            form: [String: String]? = nil,
            headers: HTTPFields = [:]
        )
            async throws -> HTTPResult
        {
            var headers = headers
            if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            }
            let body = form.map { fields in
                fields.map { key, value in
                    key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)
                }.joined(separator: "&")
            }
            let result = try await api.call(
                method,
                path,
                raw: body,
                headers: headers,
                contentType: "application/x-www-form-urlencoded"
            )
            for value in result.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(
                    separator: "=",
                    maxSplits: 1,
                    omittingEmptySubsequences: false
                )
                .map(String.init)
                guard pair.count == 2 else { continue }
                if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
            return result
        }

        /// The first `csrf_token` of a page.
        static func csrf(_ page: HTTPResult) -> String? {
            guard let range = page.text.range(of: #"name="csrf_token" value="[^"]+""#, options: .regularExpression)
            else { return nil }
            return String(page.text[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
        }

        func signIn(_ email: String, _ password: String) async throws -> HTTPResult {
            let form = try await request(.get, "/console")
            return try await request(
                .post,
                "/console/login",
                form: ["csrf_token": Self.csrf(form) ?? "", "email": email, "password": password]
            )
        }
    }

    @Test(arguments: TestDatabase.all)
    func signInMakesAnOrdinarySessionAndEveryPageRenders(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let browser = Browser(api)
            let signin = try await browser.request(.get, "/console")
            #expect(signin.status == .ok && signin.text.contains("id=\"signin-form\""))
            #expect(signin.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            let wrong = try await browser.signIn(adminEmail, "not the password")
            #expect(wrong.status == .unauthorized && wrong.text.contains("flash error"), "\(wrong.status)")
            let ok = try await browser.signIn(adminEmail, adminPassword)
            #expect(ok.status == .seeOther && ok.header("Location") == "/console")
            let cookie = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("authd_console=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            for path in [
                "/console", "/console/users", "/console/users/new", "/console/roles", "/console/roles/admin",
                "/console/clients", "/console/audit", "/console/audit?action=login.succeeded",
            ] {
                let page = try await browser.request(.get, path)
                #expect(page.status == .ok && page.text.contains("id=\"signout-form\""), "\(path): \(page.status)")
            }
            let me = try await api.admin()
            let sessions = try await app.services.sessions.sessions(of: try #require(UUID(uuidString: me.userID)))
            #expect(sessions.count == 2)
            // Sign-out revokes the console's session: the old cookie no longer opens a page.
            let page = try await browser.request(.get, "/console")
            let stale = browser.cookies
            let out = try await browser.request(
                .post,
                "/console/logout",
                form: ["csrf_token": Browser.csrf(page) ?? ""]
            )
            #expect(out.status == .seeOther && browser.cookies["authd_console"] == nil)
            browser.cookies = stale
            #expect(try await browser.request(.get, "/console/users").status == .seeOther)
            #expect(try await app.services.sessions.sessions(of: try #require(UUID(uuidString: me.userID))).count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSecondFactorIsAskedAtSignIn(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withApp(database, clock: clock) { api, _ in
            let enrolled = try await MFATests.enrolled(api, clock)
            let browser = Browser(api)
            let step = try await browser.signIn(enrolled.email, defaultPassword)
            #expect(step.status == .ok && step.text.contains("id=\"mfa-form\""), "\(step.status)")
            let token = try #require(
                step.text.range(of: #"name="mfa_token" value="[^"]+""#, options: .regularExpression).map {
                    String(step.text[$0].dropFirst(#"name="mfa_token" value=""#.count).dropLast())
                }
            )
            let wrong = try await browser.request(
                .post,
                "/console/mfa",
                form: ["csrf_token": Browser.csrf(step) ?? "", "mfa_token": token, "code": "000000"]
            )
            #expect(wrong.status == .unauthorized && wrong.text.contains("id=\"mfa-form\""))
            let done = try await browser.request(
                .post,
                "/console/mfa",
                form: [
                    "csrf_token": Browser.csrf(wrong) ?? "", "mfa_token": token,
                    "code": MFATests.code(enrolled.totp, clock),
                ]
            )
            #expect(done.status == .seeOther && browser.cookies["authd_console"] != nil, "\(done.status)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func formsNeedTheirTokenAndRefuseOtherSites(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let browser = Browser(api)
            _ = try await browser.signIn(adminEmail, adminPassword)
            let (_, victim) = try await api.newUser()
            let page = try await browser.request(.get, "/console/users/\(victim.userID)")
            let token = try #require(Browser.csrf(page))
            let action = "/console/users/\(victim.userID)/disable"
            let missing = try await browser.request(.post, action, form: ["confirm": "on"])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.request(.post, action, form: ["confirm": "on", "csrf_token": token + "x"])
            #expect(wrong.status == .forbidden)
            let crossSite = try await browser.request(
                .post,
                action,
                form: ["confirm": "on", "csrf_token": token],
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            )
            #expect(crossSite.status == .forbidden)
            let otherOrigin = try await browser.request(
                .post,
                action,
                form: ["confirm": "on", "csrf_token": token],
                headers: [HTTPField.Name("Origin")!: "https://evil.example"]
            )
            #expect(otherOrigin.status == .forbidden)
            let unconfirmed = try await browser.request(.post, action, form: ["csrf_token": token])
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(try await api.call(.get, "/auth/me", token: victim.access).status == .ok)
            let done = try await browser.request(.post, action, form: ["confirm": "on", "csrf_token": token])
            #expect(done.status == .seeOther && done.header("Location")?.hasSuffix("?done=disabled") == true)
            #expect(try await api.call(.get, "/auth/me", token: victim.access).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func userTextIsEscaped(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let browser = Browser(api)
            _ = try await browser.signIn(adminEmail, adminPassword)
            let email = uniqueEmail()
            let r = try await api.register(email, extra: ["display_name": "<script>alert(1)</script>"])
            let id = try #require((r["user"] as? [String: Any])?["id"] as? String ?? r.string("id"))
            let page = try await browser.request(.get, "/console/users/\(id)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.text.contains("<script>alert"))
            let list = try await browser.request(.get, "/console/users?q=\(email)")
            #expect(!list.text.contains("<script>alert") && list.text.contains(email))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReadOnlyUserSeesNoEditControlsAndIsRefused(_ database: TestDatabase) async throws {
        try await withApp(database) { api, app in
            let admin = try await api.admin()
            let role = try await api.call(
                .post,
                "/admin/roles",
                json: ["name": "viewer", "permissions": ["users:read"]],
                token: admin.access
            )
            #expect(role.status == .created)
            let (viewerEmail, viewer) = try await api.newUser()
            _ = try await api.call(
                .put,
                "/admin/users/\(viewer.userID)",
                json: ["roles": ["user", "viewer"]],
                token: admin.access
            )
            let (_, target) = try await api.newUser()
            let browser = Browser(api)
            #expect(try await browser.signIn(viewerEmail, defaultPassword).status == .seeOther)
            // users:read shows the user figures, not the login chart (audit:read).
            let dashboard = try await browser.request(.get, "/console")
            #expect(dashboard.status == .ok && !dashboard.text.contains("id=\"logins-chart\""))
            let page = try await browser.request(.get, "/console/users/\(target.userID)")
            #expect(page.status == .ok && !page.text.contains("disable-form") && !page.text.contains("add-role-form"))
            #expect(!page.text.contains("nav-roles") && !page.text.contains("nav-clients"))
            let forged = try await browser.request(
                .post,
                "/console/users/\(target.userID)/disable",
                form: ["confirm": "on", "csrf_token": Browser.csrf(page) ?? ""]
            )
            #expect(forged.status == .forbidden)
            #expect(try await api.call(.get, "/auth/me", token: target.access).status == .ok)
            #expect(try await browser.request(.get, "/console/clients").status == .forbidden)
            var denied = AuditQuery()
            denied.action = "permission.denied"
            #expect(try await app.services.store.audit.list(denied).items.contains { $0.details["via"] == "console" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func rolesSessionsAndClientsChangeThroughForms(_ database: TestDatabase) async throws {
        try await withApp(database) { api, _ in
            let browser = Browser(api)
            _ = try await browser.signIn(adminEmail, adminPassword)
            var page = try await browser.request(.get, "/console/roles")
            let created = try await browser.request(
                .post,
                "/console/roles",
                form: [
                    "csrf_token": Browser.csrf(page) ?? "", "name": "reports",
                    "permissions": "reports:read\nreports:export",
                ]
            )
            #expect(created.status == .seeOther, "\(created.text)")
            let (_, user) = try await api.newUser()
            page = try await browser.request(.get, "/console/users/\(user.userID)")
            let token = try #require(Browser.csrf(page))
            let added = try await browser.request(
                .post,
                "/console/users/\(user.userID)/roles/add",
                form: ["csrf_token": token, "role": "reports"]
            )
            #expect(added.status == .seeOther)
            let me = try await api.call(.get, "/admin/users/\(user.userID)", token: try await api.admin().access)
            #expect((me["roles"] as? [String])?.contains("reports") == true)
            let all = try await browser.request(
                .post,
                "/console/users/\(user.userID)/sessions/revoke-all",
                form: ["csrf_token": token, "confirm": "on"]
            )
            #expect(all.status == .seeOther)
            #expect(try await api.refresh(user.refresh).status == .unauthorized)
            page = try await browser.request(.get, "/console/clients")
            let client = try await browser.request(
                .post,
                "/console/clients",
                form: ["csrf_token": Browser.csrf(page) ?? "", "name": "billing"]
            )
            #expect(client.status == .ok && client.text.contains("id=\"client-secret\""))
            let invalid = try await browser.request(
                .post,
                "/console/roles",
                form: ["csrf_token": Browser.csrf(page) ?? "", "name": "bad name!", "permissions": "x"]
            )
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("class=\"error\""))
            let badPermission = try await browser.request(
                .post,
                "/console/roles",
                form: ["csrf_token": Browser.csrf(page) ?? "", "name": "other", "permissions": "Not A Permission"]
            )
            #expect(badPermission.status == .unprocessableContent && badPermission.text.contains("<p class=\"error\">"))
            let admin = try await api.admin()
            let role = try await api.call(.get, "/admin/roles", token: admin.access)
            let reports = (role["items"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "reports" }
            #expect(reports?["permissions"] as? [String] == ["reports:export", "reports:read"], "\(role.text)")
        }
    }
}
