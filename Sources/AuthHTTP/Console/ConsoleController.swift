import AuthCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The admin console (`/console`): server-rendered pages over the same domain services as the API, so the permission
/// checks, the delegation rule and the audit trail are the API's. Every action is a plain form post (no script is
/// needed), answered with a redirect to the page it changed. Three routes carry it all (`GET /console`,
/// `GET /console/{path}`, `POST /console/{path}`); `route` dispatches on the rest of the path.
struct ConsoleController: Sendable {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// A form post is small; anything bigger is refused unread.
    static let maxBody = 64 * 1024

    let services: AuthServices
    let auth: ConsoleAuth
    let library: MustacheLibrary

    init(services: AuthServices) throws {
        self.services = services
        auth = ConsoleAuth(services: services)
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("layout", ConsoleTemplates.layout), ("signin", ConsoleTemplates.signin),
            ("dashboard", ConsoleTemplates.dashboard), ("denied", ConsoleTemplates.denied),
            ("users", ConsoleTemplates.users), ("new-user", ConsoleTemplates.newUser), ("user", ConsoleTemplates.user),
            ("roles", ConsoleTemplates.roles), ("role", ConsoleTemplates.role), ("clients", ConsoleTemplates.clients),
            ("audit", ConsoleTemplates.audit),
        ]
        for (name, text) in templates { try library.register(text, named: name) }
        self.library = library
    }

    /// `posts`: the router, or a group of it limited per client IP (sign-in guesses and form floods).
    func addRoutes(to router: Router<AppRequestContext>, posts: RouterGroup<AppRequestContext>) {
        router.get("console") { request, context in try await self.get(request, context, path: []) }
        router.get("console/**") { request, context in
            try await self.get(request, context, path: context.parameters.getCatchAll().map(String.init))
        }
        posts.post("console/**") { request, context in
            try await self.post(request, context, path: context.parameters.getCatchAll().map(String.init))
        }
    }

    // MARK: Dispatch

    func get(_ request: Request, _ context: AppRequestContext, path: [String]) async throws -> Response {
        if path == ["assets", "console.css"] {
            return Self.asset(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        if path == ["assets", "console.js"] {
            return Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        }
        guard let signed = await auth.signedIn(request, meta: context.meta(request)) else {
            return path.isEmpty ? signInPage(request) : Self.redirect("/console")
        }
        let query = ConsoleForm(request.uri.query ?? "")
        let screen = ConsoleScreen(controller: self, signed: signed, meta: context.meta(request), query: query)
        if path.isEmpty { return try await screen.dashboard() }
        if path == ["users"] { return try await screen.users() }
        if path == ["users", "new"] { return try screen.newUser() }
        if let id = Self.match(path, "users/*") { return try await screen.user(id[0]) }
        if path == ["roles"] { return try await screen.roles() }
        if let name = Self.match(path, "roles/*") { return try await screen.role(name[0]) }
        if path == ["clients"] { return try await screen.clients() }
        if path == ["audit"] { return try await screen.audit() }
        return screen.denied("No such page.", status: .notFound)
    }

    /// The `*` segments of `path` when it matches `pattern` (`users/*/roles/*`), in order; nil when it does not.
    static func match(_ path: [String], _ pattern: String) -> [String]? {
        let parts = pattern.split(separator: "/").map(String.init)
        guard parts.count == path.count else { return nil }
        var captured: [String] = []
        for (part, segment) in zip(parts, path) {
            if part == "*" { captured.append(segment) } else if part != segment { return nil }
        }
        return captured
    }

    func post(_ request: Request, _ context: AppRequestContext, path: [String]) async throws -> Response {
        let meta = context.meta(request)
        guard !ConsoleAuth.isCrossSite(request) else {
            return plainDenied("This form was sent from another site and was refused.")
        }
        let form = ConsoleForm(try await request.body.collect(upTo: Self.maxBody))
        if path == ["login"] { return try await signIn(form, request, meta: meta) }
        if path == ["mfa"] { return try await verifyMFA(form, request, meta: meta) }
        guard let signed = await auth.signedIn(request, meta: meta) else { return Self.redirect("/console") }
        guard let sent = form["csrf_token"], SecureToken.constantTimeEquals(sent, signed.csrf) else {
            return plainDenied("The form's security token is missing or wrong; reload the page and try again.")
        }
        let screen = ConsoleScreen(controller: self, signed: signed, meta: meta, query: form)
        if path == ["logout"] { return try await signOut(signed, meta: meta) }
        if path == ["users"] { return try await screen.createUser() }
        if let p = Self.match(path, "users/*/roles/*") { return try await screen.changeRole(p[0], p[1]) }
        if let p = Self.match(path, "users/*/sessions/revoke-all") { return try await screen.revokeAllSessions(p[0]) }
        if let p = Self.match(path, "users/*/sessions/*/revoke") { return try await screen.revokeSession(p[0], p[1]) }
        if let p = Self.match(path, "users/*/tokens/*/revoke") { return try await screen.revokeToken(p[0], p[1]) }
        if let p = Self.match(path, "users/*/*") { return try await screen.userAction(p[0], p[1]) }
        if path == ["roles"] { return try await screen.createRole() }
        if let p = Self.match(path, "roles/*/delete") { return try await screen.deleteRole(p[0]) }
        if let p = Self.match(path, "roles/*") { return try await screen.updateRole(p[0]) }
        if path == ["clients"] { return try await screen.createClient() }
        if let p = Self.match(path, "clients/*/delete") { return try await screen.deleteClient(p[0]) }
        return screen.denied("No such action.", status: .notFound)
    }

    // MARK: Rendering

    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? "<!doctype html><title>authd</title><p>Rendering failed.</p>"
    }

    func html(_ body: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
        ]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    func plainDenied(_ message: String) -> Response {
        html(render("denied", ["title": "Refused", "message": message]), status: .forbidden)
    }
}
