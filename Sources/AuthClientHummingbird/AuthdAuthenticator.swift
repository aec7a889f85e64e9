import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// Requires `Authorization: Bearer <access token>` accepted by `verifier`; puts the caller on the context.
/// Missing or invalid tokens are 401 problem details; authd unreachable is 503.
public struct AuthdAuthenticator<Context: AuthClientRequestContext>: RouterMiddleware {
    let verifier: any TokenVerifier

    public init(verifier: any TokenVerifier) { self.verifier = verifier }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer "
        else {
            return AuthProblem.unauthenticated()
        }
        var context = context
        do {
            context.verifiedToken = try await verifier.verify(
                String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            )
        } catch AuthClientError.invalidToken {
            return AuthProblem.response(
                status: .unauthorized,
                code: "invalid_token",
                detail: "The access token is invalid, expired or revoked."
            )
        } catch {
            return AuthProblem.response(
                status: .serviceUnavailable,
                code: "auth_unavailable",
                detail: "Authentication is unavailable; retry later."
            )
        }
        return try await next(request, context)
    }
}
