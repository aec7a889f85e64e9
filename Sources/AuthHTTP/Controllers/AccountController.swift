import AuthCore
import Hummingbird

/// The signed-in user's own account: `/auth/me` and `/auth/change-password`.
struct AccountController {
    let accounts: AccountService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("me", use: me)
        group.put("me", use: updateMe)
        group.post("change-password", use: changePassword)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let principal = try context.requirePrincipal()
        var response = UserResponse(try await accounts.me(principal))
        response.aal = principal.aal
        response.amr = principal.amr
        response.mfaEnabled = try await accounts.mfaEnabled(principal.userID)
        return response
    }

    @Sendable func updateMe(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let principal = try context.requirePrincipal()
        let body = try await request.decodeBody(as: UpdateMeRequest.self, context: context)
        let user = try await accounts.updateProfile(
            principal,
            changes: body.profile.changes,
            email: body.email,
            currentPassword: body.current_password,
            meta: context.meta(request)
        )
        return UserResponse(user)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let principal = try context.requirePrincipal()
        let body = try await request.decodeBody(as: ChangePasswordRequest.self, context: context)
        try await accounts.changePassword(
            principal,
            current: body.current_password,
            new: body.new_password,
            meta: context.meta(request)
        )
        return .noContent
    }
}
