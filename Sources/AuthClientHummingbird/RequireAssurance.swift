import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// Refuses callers whose session did not reach assurance `level` (2: the login passed a second factor) with 403
/// `step_up_required`, so the client can send the user through an MFA login; unauthenticated is 401. Place it after
/// `AuthdAuthenticator`. Personal access tokens are level 1.
public struct RequireAssurance<Context: AuthClientRequestContext>: RouterMiddleware {
    let level: Int

    public init(level: Int = 2) { self.level = level }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let caller = context.verifiedToken else {
            return AuthProblem.unauthenticated()
        }
        guard caller.aal >= level else {
            return AuthProblem.response(
                status: .forbidden,
                code: "step_up_required",
                detail: "This needs a session that passed a second factor; log in again with it."
            )
        }
        return try await next(request, context)
    }
}
