import AuthCore
import Foundation
import Hummingbird

/// Requires a valid bearer access token whose session and user are live now; sets `context.principal`.
/// The authenticator pattern of hummingbird-auth, written out: its `AuthenticatorMiddleware` lets an
/// unauthenticated request through, and every route behind this one needs a caller.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: SessionAuthenticator

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer "
        else { throw AuthError.invalidToken }
        var context = context
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        context.principal = try await authenticator.authenticate(accessToken: token)
        return try await next(request, context)
    }
}
