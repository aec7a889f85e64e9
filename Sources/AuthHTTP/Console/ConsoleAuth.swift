import AuthCore
import Foundation
import HTTPTypes
import Hummingbird

/// The console's sign-in state: an ordinary session (the one `POST /auth/login` makes), its access and refresh tokens
/// kept in one cookie that scripts cannot read (`HttpOnly`), that no other site's request carries
/// (`SameSite=Strict`), and that over https is `Secure` with the `__Host-` prefix. Each request authenticates the
/// access token as the API does (so a revocation applies at once); an expired one is rotated with the refresh token.
/// The cookie lives `idleTimeout` seconds past the last request (sliding).
///
/// Forms carry a CSRF token: an HMAC of the session id under the server's key (every instance computes the same one).
/// The sign-in form, before any session, uses a random token also set as a cookie (double submit). A POST whose
/// `Sec-Fetch-Site` or `Origin` says it comes from another site is refused before anything else.
struct ConsoleAuth: Sendable {
    let services: AuthServices
    let secure: Bool
    let idleTimeout: Int

    init(services: AuthServices) {
        self.services = services
        secure =
            services.configuration.publicBaseURL.lowercased().hasPrefix("https://")
            || services.configuration.network.tlsEnabled
        idleTimeout = services.configuration.consoleIdleTimeout
    }

    var cookieName: String { secure ? "__Host-authd_console" : "authd_console" }
    var preSessionCookieName: String { secure ? "__Host-authd_console_csrf" : "authd_console_csrf" }

    struct Signed: Sendable {
        let principal: Principal
        let csrf: String
        /// The cookie to send back (sliding expiry; new tokens after a rotation).
        let cookie: String
    }

    func signedIn(_ request: Request, meta: RequestMeta) async -> Signed? {
        guard let value = Self.cookie(cookieName, in: request) else { return nil }
        let parts = value.split(separator: "~", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        var (access, refresh) = (parts[0], parts[1])
        var principal = try? await services.authenticator.authenticate(accessToken: access)
        if principal == nil, let pair = try? await services.refresh.refresh(token: refresh, meta: meta) {
            (access, refresh) = (pair.accessToken, pair.refreshToken)
            principal = try? await services.authenticator.authenticate(accessToken: access)
        }
        guard let principal, let sessionID = principal.sessionID,
            let csrf = try? await services.keyedHashes.tag("console-csrf", sessionID.uuidString.lowercased())
        else { return nil }
        return Signed(principal: principal, csrf: csrf, cookie: sessionCookie(access: access, refresh: refresh))
    }

    func sessionCookie(access: String, refresh: String) -> String {
        cookie(cookieName, value: access + "~" + refresh, maxAge: idleTimeout)
    }

    var clearedCookie: String { cookie(cookieName, value: "", maxAge: 0) }

    func cookie(_ name: String, value: String, maxAge: Int) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "Max-Age=\(maxAge)", "HttpOnly", "SameSite=Strict"]
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// The sign-in form's token: the cookie's when there is one, else a new one (set by the answer).
    func preSessionToken(_ request: Request) -> (token: String, setCookie: String?) {
        if let existing = Self.cookie(preSessionCookieName, in: request), existing.count >= 32 {
            return (existing, nil)
        }
        let token = SecureToken.generate(byteCount: 24)
        return (token, cookie(preSessionCookieName, value: token, maxAge: 3_600))
    }

    func checkPreSession(_ form: ConsoleForm, _ request: Request) -> Bool {
        guard let sent = form["csrf_token"], let cookie = Self.cookie(preSessionCookieName, in: request) else {
            return false
        }
        return SecureToken.constantTimeEquals(sent, cookie)
    }

    /// Refuses a request another site's page made: `Sec-Fetch-Site` (sent by every current browser) or, without
    /// it, an `Origin` that is not this host.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            return site != "same-origin" && site != "none"
        }
        if let origin = request.headers[HTTPField.Name("Origin")!] {
            guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host else {
                return true
            }
            let port = url.port.map { ":\($0)" } ?? ""
            return originHost + port != host
        }
        return false
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }
}
