import AuthCore
import Foundation
import Hummingbird

/// Requires a bearer credential whose user is live now, and sets `context.principal`: an access token whose session
/// is live, or a personal access token (`authd_pat_…`) that is neither revoked nor expired. The authenticator pattern
/// of hummingbird-auth, written out: its `AuthenticatorMiddleware` lets an unauthenticated request through, and every
/// route behind this one needs a caller.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: SessionAuthenticator
    let personalTokens: PersonalAccessTokenService

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer "
        else { throw AuthError.invalidToken }
        var context = context
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        if PersonalTokenFormat.looksLikeToken(token) {
            context.principal = try await personalTokens.authenticate(token, meta: context.meta(request))
        } else {
            context.principal = try await authenticator.authenticate(accessToken: token)
        }
        return try await next(request, context)
    }
}
