import AuthClient
import AuthClientHummingbird
import Foundation
import Hummingbird

/// A small service protected by authd, both ways:
/// - `/profile`, `/reports`: verified locally against authd's JWKS (no call per request; sees revocations only at expiry);
/// - `/live/profile`, `/live/reports`: verified by authd itself (`POST /auth/verify`; sees revocations at once).
/// Configuration: AUTHD_URL (default http://127.0.0.1:8080), AUTHD_ISSUER (default AUTHD_URL), AUTHD_CLIENT_ID,
/// AUTHD_CLIENT_SECRET, PORT (default 8081).
let env = ProcessInfo.processInfo.environment
let authd = env["AUTHD_URL"] ?? "http://127.0.0.1:8080"
let local = JWKSVerifier(settings: .init(authdURL: authd, issuer: env["AUTHD_ISSUER"]))
let remote = RemoteVerifier(
    settings: .init(
        authdURL: authd,
        clientID: env["AUTHD_CLIENT_ID"] ?? "",
        clientSecret: env["AUTHD_CLIENT_SECRET"] ?? ""
    )
)

struct Profile: ResponseEncodable {
    let subject: String
    let email: String
    let roles: [String]
    let verified_by: String
}

func profile(_ request: Request, context: AuthClientContext) throws -> Profile {
    let caller = context.verifiedToken!
    return Profile(
        subject: caller.subject,
        email: caller.email,
        roles: caller.roles,
        verified_by: caller.source == .local ? "jwks" : "authd"
    )
}

let router = Router(context: AuthClientContext.self)
router.get("public") { _, _ in "anyone may read this\n" }

let jwks = router.group().add(middleware: AuthdAuthenticator(verifier: local))
jwks.get("profile", use: profile)
jwks.group().add(middleware: RequirePermissions("reports:read")).get("reports") { _, _ in "quarterly numbers\n" }

let live = router.group("live").add(middleware: AuthdAuthenticator(verifier: remote))
live.get("profile", use: profile)
live.group().add(middleware: RequirePermissions("reports:read")).get("reports") { _, _ in "quarterly numbers\n" }

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: Int(env["PORT"] ?? "") ?? 8081))
)
try await app.runService()
