import AuthCore
import Foundation
import Hummingbird

/// The signed-in user's personal access tokens: `/auth/tokens`.
struct PersonalTokenController {
    let tokens: PersonalAccessTokenService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("tokens", use: create)
        group.get("tokens", use: list)
        group.delete("tokens/{id}", use: revoke)
    }

    @Sendable func create(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<PersonalTokenResponse> {
        let principal = try context.requireSessionPrincipal()
        let body = try await request.decodeBody(as: PersonalTokenRequest.self, context: context)
        let issued = try await tokens.create(
            principal,
            name: body.name,
            permissions: body.permissions,
            expiresIn: body.expires_in,
            neverExpires: body.never_expires ?? false,
            meta: context.meta(request)
        )
        return .noStore(PersonalTokenResponse(issued.token, secret: issued.secret), status: .created)
    }

    @Sendable func list(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> ItemsResponse<
        PersonalTokenResponse
    > {
        let items = try await tokens.list(try context.requirePrincipal())
        return ItemsResponse(items: items.map { PersonalTokenResponse($0) })
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw AuthError.tokenNotFound
        }
        try await tokens.revoke(principal, tokenID: id, meta: context.meta(request))
        return .noContent
    }
}
