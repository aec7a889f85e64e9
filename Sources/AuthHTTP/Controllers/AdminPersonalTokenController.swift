import AuthCore
import Foundation
import Hummingbird

/// A user's personal access tokens, for administrators: `/admin/users/{id}/tokens`.
struct AdminPersonalTokenController {
    let tokens: PersonalAccessTokenService

    func addRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.tokensRead).get("users/{id}/tokens", use: list)
        requiring(Permission.tokensWrite).delete("users/{id}/tokens/{tokenID}", use: revoke)
    }

    @Sendable func list(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> ItemsResponse<
        PersonalTokenResponse
    > {
        let items = try await tokens.list(of: try AdminUserController.userID(context))
        return ItemsResponse(items: items.map { PersonalTokenResponse($0) })
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let userID = try AdminUserController.userID(context)
        guard let tokenID = context.parameters.get("tokenID").flatMap(UUID.init(uuidString:)) else {
            throw AuthError.tokenNotFound
        }
        try await tokens.revoke(
            tokenID: tokenID,
            of: userID,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return .noContent
    }
}
