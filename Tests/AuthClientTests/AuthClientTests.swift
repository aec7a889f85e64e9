import AsyncHTTPClient
import AuthClient
import AuthClientHummingbird
import AuthCore
import AuthHTTP
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Runs a real authd on a loopback port and hands its URL to `body`.
func withLiveAuthd(
    configure: (inout AuthConfiguration) -> Void = { _ in },
    _ body: @Sendable @escaping (String, AuthApp) async throws -> Void
) async throws {
    var configuration = AuthConfiguration.testing()
    configuration.bootstrapAdminEmail = "client-admin@example.com"
    configuration.bootstrapAdminPassword = "Client-admin-passphrase-1"
    configuration.issuer = "http://authd.test"
    configuration.hostname = "127.0.0.1"
    configuration.port = 0
    configuration.logLevel = "critical"
    configure(&configuration)
    let app = try await buildApplication(configuration: configuration)
    try await app.application.test(.live) { client in
        try await body("http://127.0.0.1:\(client.port!)", app)
    }
}

/// Talks to authd over real HTTP.
struct Authd: Sendable {
    let url: String

    func post(
        _ path: String,
        _ body: [String: any Sendable],
        token: String? = nil,
        basic: (String, String)? = nil
    ) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    func user() async throws -> (access: String, refresh: String) {
        let email = "client-\(UUID().uuidString.prefix(8))@example.com"
        _ = try await post("/auth/register", ["email": email, "password": "correct horse battery staple"])
        let pair = try await post("/auth/login", ["email": email, "password": "correct horse battery staple"])
        return (pair["access_token"] as? String ?? "", pair["refresh_token"] as? String ?? "")
    }

    func admin() async throws -> String {
        try await post("/auth/login", ["email": "client-admin@example.com", "password": "Client-admin-passphrase-1"])[
            "access_token"
        ] as? String ?? ""
    }

    func serviceClient() async throws -> (String, String) {
        let r = try await post("/admin/service-clients", ["name": "client-tests"], token: try await admin())
        return (r["client_id"] as? String ?? "", r["client_secret"] as? String ?? "")
    }
}

@Suite struct JWKSVerifierTests {
    @Test func acceptsAuthdTokensAndRefusesForgedOnes() async throws {
        try await withLiveAuthd { url, _ in
            let authd = Authd(url: url)
            let verifier = JWKSVerifier(
                settings: .init(jwksURL: url + "/.well-known/jwks.json", issuer: "http://authd.test")
            )
            let (access, refresh) = try await authd.user()
            let verified = try await verifier.verify(access)
            #expect(verified.roles == ["user"] && verified.source == .local && !verified.has("users:read"))
            let p = access.split(separator: ".").map(String.init)
            let none = Data(#"{"alg":"none","typ":"at+jwt","kid":"x"}"#.utf8).base64URLEncodedString()
            for forged in ["\(none).\(p[1]).", "\(p[0]).\(p[1]).AAAA", refresh, "garbage", ""] {
                await #expect(throws: AuthClientError.invalidToken) { try await verifier.verify(forged) }
            }
            let otherIssuer = JWKSVerifier(
                settings: .init(jwksURL: url + "/.well-known/jwks.json", issuer: "http://elsewhere")
            )
            await #expect(throws: AuthClientError.invalidToken) { try await otherIssuer.verify(access) }
            let later = JWKSVerifier(
                settings: .init(jwksURL: url + "/.well-known/jwks.json", issuer: "http://authd.test"),
                now: { Date().addingTimeInterval(901) }
            )
            await #expect(throws: AuthClientError.invalidToken) { try await later.verify(access) }
        }
    }

    @Test func picksUpARotatedKeyOnAnUnknownKid() async throws {
        try await withLiveAuthd { url, app in
            let authd = Authd(url: url)
            let verifier = JWKSVerifier(
                settings: .init(
                    jwksURL: url + "/.well-known/jwks.json",
                    issuer: "http://authd.test",
                    minimumRefetchInterval: .zero
                )
            )
            _ = try await verifier.verify(try await authd.user().access)
            try await app.services.tokens.rotate()
            let fresh = try await authd.user().access
            #expect(try await verifier.verify(fresh).source == .local)
        }
    }

    @Test func staleKeysServeOnlyForTheBoundWhileTheJWKSIsUnreachable() async throws {
        @Sendable func settings(_ url: String, staleness: Duration) -> JWKSVerifier.Settings {
            JWKSVerifier.Settings(
                jwksURL: url + "/.well-known/jwks.json",
                issuer: "http://authd.test",
                maxAge: .milliseconds(200),
                minimumRefetchInterval: .zero,
                maxStaleness: staleness
            )
        }
        let captured = Mutex<(JWKSVerifier, JWKSVerifier, String)?>(nil)
        try await withLiveAuthd { url, _ in
            let lenient = JWKSVerifier(settings: settings(url, staleness: .seconds(120)))
            let strict = JWKSVerifier(settings: settings(url, staleness: .milliseconds(100)))
            let access = try await Authd(url: url).user().access
            _ = try await lenient.verify(access)
            _ = try await strict.verify(access)
            captured.withLock { $0 = (lenient, strict, access) }
        }
        let (lenient, strict, access) = try #require(captured.withLock { $0 })
        // authd is gone: past maxAge the refetch fails. The last keys serve within the bound, and not past it.
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await lenient.verify(access).source == .local)
        await #expect(throws: AuthClientError.unavailable("JWKS stale")) { try await strict.verify(access) }
    }

    @Test func unreachableJWKSIsUnavailableNotInvalid() async throws {
        let verifier = JWKSVerifier(
            settings: .init(jwksURL: "http://127.0.0.1:9/.well-known/jwks.json", issuer: "http://authd.test")
        )
        let header = Data(#"{"alg":"ES256","typ":"at+jwt","kid":"k"}"#.utf8).base64URLEncodedString()
        await #expect(throws: AuthClientError.unavailable("JWKS fetch failed")) {
            try await verifier.verify("\(header).e30.AAAA")
        }
    }
}

@Suite struct RemoteVerifierTests {
    @Test func seesRevocationAtOnceAndAnswersPermissions() async throws {
        try await withLiveAuthd { url, _ in
            let authd = Authd(url: url)
            let (id, secret) = try await authd.serviceClient()
            let verifier = RemoteVerifier(settings: .init(authdURL: url, clientID: id, clientSecret: secret))
            let (access, _) = try await authd.user()
            let (token, allowed) = try await verifier.verify(access, requiredPermissions: ["users:read"])
            #expect(token.source == .remote && token.roles == ["user"] && !allowed)
            let admin = try await authd.admin()
            #expect(try await verifier.verify(admin, requiredPermissions: ["users:read"]).allowed)
            _ = try await authd.post("/auth/logout", [:], token: access)
            await #expect(throws: AuthClientError.invalidToken) { try await verifier.verify(access) }
            let wrong = RemoteVerifier(settings: .init(authdURL: url, clientID: id, clientSecret: secret + "x"))
            await #expect(throws: AuthClientError.invalidClientCredentials) { try await wrong.verify(admin) }
        }
    }

    /// Personal access tokens are opaque: authd answers for them, and a RoutingVerifier sends them there while access
    /// tokens stay local.
    @Test func personalAccessTokensAreVerifiedByAuthdAndRoutedThere() async throws {
        try await withLiveAuthd { url, _ in
            let authd = Authd(url: url)
            let (id, secret) = try await authd.serviceClient()
            let remote = RemoteVerifier(settings: .init(authdURL: url, clientID: id, clientSecret: secret))
            let local = JWKSVerifier(
                settings: .init(jwksURL: url + "/.well-known/jwks.json", issuer: "http://authd.test")
            )
            let (access, _) = try await authd.user()
            let created = try await authd.post(
                "/auth/tokens",
                ["name": "ci", "permissions": [String]()],
                token: access
            )
            let pat = try #require(created["token"] as? String)
            let verified = try await remote.verify(pat)
            #expect(verified.isPersonalAccessToken && verified.sessionID.isEmpty && verified.source == .remote)
            await #expect(throws: AuthClientError.invalidToken) { try await local.verify(pat) }
            let routing = RoutingVerifier(local: local, remote: remote)
            #expect(try await routing.verify(pat).source == .remote)
            #expect(try await routing.verify(access).source == .local)
        }
    }
}

@Suite struct RemoteVerifierCacheTests {
    @Test func aCachedAnswerNeverOutlivesTheTokensExpiry() async throws {
        try await withLiveAuthd(configure: { $0.accessTokenTTL = 2 }) { url, _ in
            let authd = Authd(url: url)
            let (id, secret) = try await authd.serviceClient()
            let verifier = RemoteVerifier(
                settings: .init(authdURL: url, clientID: id, clientSecret: secret, cacheTTL: .seconds(600))
            )
            let (access, _) = try await authd.user()
            _ = try await verifier.verify(access)
            try await Task.sleep(for: .seconds(3))
            await #expect(throws: AuthClientError.invalidToken) { try await verifier.verify(access) }
        }
    }
}

/// A verifier that knows two tokens, for the middleware's own behaviour.
struct StubVerifier: TokenVerifier {
    func verify(_ token: String) async throws -> VerifiedToken {
        switch token {
        case "reader":
            return VerifiedToken(
                subject: "u1",
                email: "r@example.com",
                roles: ["r"],
                permissions: ["reports:*"],
                sessionID: "s",
                expiresAt: 0,
                source: .local
            )
        case "plain":
            return VerifiedToken(
                subject: "u2",
                email: "p@example.com",
                roles: ["user"],
                permissions: [],
                sessionID: "s",
                expiresAt: 0,
                source: .local
            )
        case "second-factor":
            return VerifiedToken(
                subject: "u3",
                email: "m@example.com",
                roles: ["user"],
                permissions: [],
                sessionID: "s",
                expiresAt: 0,
                source: .local,
                aal: 2,
                amr: ["pwd", "otp"]
            )
        case "down": throw AuthClientError.unavailable("down")
        default: throw AuthClientError.invalidToken
        }
    }
}

@Suite struct HummingbirdMiddlewareTests {
    @Test func authenticatesAndRequiresPermissions() async throws {
        let router = Router(context: AuthClientContext.self)
        let protected = router.group().add(middleware: AuthdAuthenticator(verifier: StubVerifier()))
        protected.get("me") { _, context in context.verifiedToken?.email ?? "" }
        protected.group().add(middleware: RequirePermissions("reports:read")).get("reports") { _, _ in "numbers" }
        protected.group().add(middleware: RequireAssurance(level: 2)).get("payouts") { _, _ in "paid" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            func status(_ path: String, _ token: String?) async throws -> (HTTPResponse.Status, String, String?) {
                var headers: HTTPFields = [:]
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await client.execute(uri: path, method: .get, headers: headers) {
                    ($0.status, String(buffer: $0.body), $0.headers[.contentType])
                }
            }
            let anonymous = try await status("/me", nil)
            #expect(
                anonymous.0 == .unauthorized && anonymous.2 == "application/problem+json"
                    && anonymous.1.contains("invalid_token")
            )
            #expect(try await status("/me", "forged").0 == .unauthorized)
            #expect(try await status("/me", "down").0 == .serviceUnavailable)
            #expect(try await status("/me", "plain").1 == "p@example.com")
            let denied = try await status("/reports", "plain")
            #expect(denied.0 == .forbidden && denied.1.contains("permission_denied"))
            #expect(try await status("/reports", "reader").0 == .ok)
            // A second factor is required: aal 1 is 403 step_up_required, aal 2 passes.
            let weak = try await status("/payouts", "plain")
            #expect(weak.0 == .forbidden && weak.1.contains("step_up_required"))
            #expect(try await status("/payouts", "second-factor").1 == "paid")
        }
    }

    /// The assurance travels in the access token (for the JWKS verifier) and in /auth/verify (for the remote one).
    @Test func bothVerifiersSeeTheSessionsAssurance() async throws {
        try await withLiveAuthd { url, _ in
            let authd = Authd(url: url)
            let (id, secret) = try await authd.serviceClient()
            let (access, _) = try await authd.user()
            let local = JWKSVerifier(
                settings: .init(jwksURL: url + "/.well-known/jwks.json", issuer: "http://authd.test")
            )
            let remote = RemoteVerifier(settings: .init(authdURL: url, clientID: id, clientSecret: secret))
            for verifier in [local, remote] as [any TokenVerifier] {
                let token = try await verifier.verify(access)
                #expect(token.aal == 1 && token.amr == ["pwd"])
            }
        }
    }
}
