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
        // The scheme is case-insensitive (RFC 9110); compared by bytes (`String.count` walks graphemes).
        guard let header = request.headers[.authorization], header.utf8.count > 7,
            header.utf8.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 })
        else { throw AuthError.invalidToken }
        var context = context
        let token = Self.trimmed(header.utf8.dropFirst(7))
        if PersonalTokenFormat.looksLikeToken(token) {
            context.principal = try await personalTokens.authenticate(token, meta: context.meta(request))
        } else {
            context.principal = try await authenticator.authenticate(accessToken: token)
        }
        return try await next(request, context)
    }

    /// The credential without the spaces and tabs around it. Foundation's `trimmingCharacters(in:)` bridges through
    /// `NSString` on Linux: 15 % of `GET /auth/me`'s CPU in a profile (docs/benchmarks.md).
    static func trimmed(_ bytes: Substring.UTF8View) -> String {
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(Substring(bytes[first...last]))
    }
}
