@_exported import AuthClient
import Foundation
import Vapor

extension VerifiedToken: @retroactive Authenticatable {}

/// Logs in the caller when its bearer token is accepted by `verifier` (`JWKSVerifier` or `RemoteVerifier`).
/// A missing or invalid token leaves the request unauthenticated (a guard after it answers 401);
/// authd unreachable is 503.
public struct AuthdBearerAuthenticator: AsyncBearerAuthenticator {
    let verifier: any TokenVerifier

    public init(verifier: any TokenVerifier) { self.verifier = verifier }

    public func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        do {
            request.auth.login(try await verifier.verify(bearer.token))
        } catch AuthClientError.invalidToken {
            return
        } catch {
            throw Abort(.serviceUnavailable, reason: "Authentication is unavailable; retry later.")
        }
    }
}

/// 401 without an authenticated caller, 403 when its permissions do not cover all of `permissions`;
/// both as RFC 9457 problem details, shaped like authd's own.
public struct RequirePermissionsMiddleware: AsyncMiddleware {
    let permissions: [String]

    public init(_ permissions: String...) { self.permissions = permissions }
    public init(_ permissions: [String]) { self.permissions = permissions }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let caller = request.auth.get(VerifiedToken.self) else {
            return Self.problem(
                .unauthorized,
                code: "invalid_token",
                detail: "A valid bearer access token is required."
            )
        }
        guard caller.hasAll(permissions) else {
            return Self.problem(
                .forbidden,
                code: "permission_denied",
                detail: "This action needs: \(permissions.joined(separator: ", "))."
            )
        }
        return try await next.respond(to: request)
    }

    static func problem(_ status: HTTPResponseStatus, code: String, detail: String) -> Response {
        let body: [String: Any] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": Int(status.code), "code": code,
            "detail": detail,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers = HTTPHeaders([("Content-Type", "application/problem+json")])
        if status == .unauthorized { headers.add(name: "WWW-Authenticate", value: "Bearer") }
        return Response(status: status, headers: headers, body: .init(data: data))
    }
}

/// 401 without an authenticated caller, 403 `step_up_required` when its session did not reach assurance `level`
/// (2: the login passed a second factor). Personal access tokens are level 1.
public struct RequireAssuranceMiddleware: AsyncMiddleware {
    let level: Int

    public init(level: Int = 2) { self.level = level }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let caller = request.auth.get(VerifiedToken.self) else {
            return RequirePermissionsMiddleware.problem(
                .unauthorized,
                code: "invalid_token",
                detail: "A valid bearer access token is required."
            )
        }
        guard caller.aal >= level else {
            return RequirePermissionsMiddleware.problem(
                .forbidden,
                code: "step_up_required",
                detail: "This needs a session that passed a second factor; log in again with it."
            )
        }
        return try await next.respond(to: request)
    }
}

extension RoutesBuilder {
    /// Routes that need an authd token accepted by `verifier`, with every one of `permissions`.
    public func authd(_ verifier: any TokenVerifier, requiring permissions: String...) -> any RoutesBuilder {
        grouped(AuthdBearerAuthenticator(verifier: verifier), RequirePermissionsMiddleware(permissions))
    }
}
