import AuthClientVapor
import Testing
import Vapor
import VaporTesting

struct StubVerifier: TokenVerifier {
    func verify(_ token: String) async throws -> VerifiedToken {
        switch token {
        case "reader":
            VerifiedToken(
                subject: "u1",
                email: "r@example.com",
                roles: ["r"],
                permissions: ["reports:*"],
                sessionID: "s",
                expiresAt: 0,
                source: .local
            )
        case "plain":
            VerifiedToken(
                subject: "u2",
                email: "p@example.com",
                roles: ["user"],
                permissions: [],
                sessionID: "s",
                expiresAt: 0,
                source: .local
            )
        case "second-factor":
            VerifiedToken(
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

@Suite struct AuthClientVaporTests {
    @Test func authenticatorAndGuardAnswer401And403() async throws {
        try await withApp { app in
            app.authd(StubVerifier()).get("me") { req in try req.auth.require(VerifiedToken.self).email }
            app.authd(StubVerifier(), requiring: "reports:read").get("reports") { _ in "numbers" }
            app.authd(StubVerifier()).grouped(RequireAssuranceMiddleware(level: 2)).get("payouts") { _ in "paid" }
            let tester = try app.testing()
            func get(_ path: String, _ token: String?) async throws -> (HTTPStatus, String, String?) {
                var headers = HTTPHeaders()
                if let token { headers.bearerAuthorization = .init(token: token) }
                var result: (HTTPStatus, String, String?) = (.internalServerError, "", nil)
                try await tester.test(.GET, path, headers: headers) { res in
                    result = (res.status, res.body.string, res.headers.first(name: "Content-Type"))
                }
                return result
            }
            let anonymous = try await get("/me", nil)
            #expect(
                anonymous.0 == .unauthorized && anonymous.2 == "application/problem+json"
                    && anonymous.1.contains("invalid_token")
            )
            #expect(try await get("/me", "forged").0 == .unauthorized)
            #expect(try await get("/me", "down").0 == .serviceUnavailable)
            #expect(try await get("/me", "plain").1 == "p@example.com")
            let denied = try await get("/reports", "plain")
            #expect(denied.0 == .forbidden && denied.1.contains("permission_denied"))
            #expect(try await get("/reports", "reader").1 == "numbers")
            // A second factor is required: aal 1 is 403 step_up_required, aal 2 passes.
            let weak = try await get("/payouts", "plain")
            #expect(weak.0 == .forbidden && weak.1.contains("step_up_required"))
            #expect(try await get("/payouts", "second-factor").1 == "paid")
            #expect(try await get("/payouts", nil).0 == .unauthorized)
        }
    }
}
