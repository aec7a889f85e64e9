import AuthCore
import Hummingbird

/// The signed-in user's own account: `/auth/me` and `/auth/change-password`.
struct AccountController {
    let accounts: AccountService

    /// `hashing`: the same routes behind the bcrypt admission (`HashAdmissionMiddleware`).
    func addRoutes(to group: RouterGroup<AppRequestContext>, hashing: RouterGroup<AppRequestContext>) {
        group.get("me", use: me)
        group.put("me", use: updateMe)
        hashing.post("change-password", use: changePassword)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let principal = try context.requirePrincipal()
        let me = try await accounts.me(principal)
        var response = UserResponse(me.user)
        response.aal = principal.aal
        response.amr = principal.amr
        response.mfaEnabled = me.mfaEnabled
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
