import AuthCore
import Foundation
import Hummingbird

/// TOTP: enrolment, confirmation, recovery codes and disabling for the signed-in user (`/auth/mfa/…`), the second
/// step of a login (`POST /auth/mfa/verify`, no bearer), and an administrator's reset.
struct MFAController {
    let mfa: MFAService

    func addRoutes(signedIn: RouterGroup<AppRequestContext>, login: RouterGroup<AppRequestContext>) {
        signedIn.post("mfa/totp", use: begin)
        signedIn.post("mfa/totp/confirm", use: confirm)
        signedIn.delete("mfa/totp", use: disable)
        signedIn.post("mfa/recovery-codes", use: regenerate)
        login.post("mfa/verify", use: verify)
    }

    func addAdminRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.usersWrite).delete("users/{id}/mfa", use: reset)
    }

    @Sendable func begin(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<MFASetupResponse> {
        let principal = try context.requireSessionPrincipal()
        let body = try await request.decodeBody(as: MFABeginRequest.self, context: context)
        let setup = try await mfa.begin(principal, currentPassword: body.current_password, meta: context.meta(request))
        return .noStore(MFASetupResponse(secret: setup.secret, otpauthURI: setup.uri))
    }

    @Sendable func confirm(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<RecoveryCodesResponse> {
        let principal = try context.requireSessionPrincipal()
        let body = try await request.decodeBody(as: MFACodeRequest.self, context: context)
        let codes = try await mfa.confirm(principal, code: body.code, meta: context.meta(request))
        return .noStore(RecoveryCodesResponse(recoveryCodes: codes))
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let principal = try context.requireSessionPrincipal()
        let body = try await request.decodeBody(as: MFADisableRequest.self, context: context)
        try await mfa.disable(
            principal,
            currentPassword: body.current_password,
            code: body.code,
            meta: context.meta(request)
        )
        return .noContent
    }

    @Sendable func regenerate(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<RecoveryCodesResponse> {
        let principal = try context.requireSessionPrincipal()
        let body = try await request.decodeBody(as: MFACodeRequest.self, context: context)
        let codes = try await mfa.regenerateRecoveryCodes(principal, code: body.code, meta: context.meta(request))
        return .noStore(RecoveryCodesResponse(recoveryCodes: codes))
    }

    @Sendable func verify(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<TokenPairResponse> {
        let body = try await request.decodeBody(as: MFAVerifyRequest.self, context: context)
        let pair = try await mfa.verifyLogin(
            mfaToken: body.mfa_token,
            code: body.code,
            recoveryCode: body.recovery_code,
            meta: context.meta(request)
        )
        return AuthController.tokens(pair)
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await mfa.reset(
            userID: try AdminUserController.userID(context),
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return .noContent
    }
}
