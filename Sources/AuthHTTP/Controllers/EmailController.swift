import AuthCore
import Foundation
import Hummingbird

/// Email verification and password recovery (`/auth/email/…`, `/auth/password/forgot|reset`), the admin routes that
/// send those mails, and the outbox listing.
struct EmailController {
    let emails: EmailFlowService
    let outbox: any MailOutboxRepository

    /// `requests`: the routes that send mail (limited per IP); `codes`: the ones that redeem a link or code.
    func addRoutes(
        signedIn: RouterGroup<AppRequestContext>,
        requests: RouterGroup<AppRequestContext>,
        codes: RouterGroup<AppRequestContext>
    ) {
        signedIn.post("email/verification", use: requestVerification)
        requests.post("password/forgot", use: forgot)
        requests.post("email/resend", use: resend)
        codes.post("email/verify", use: verify)
        codes.post("password/reset", use: reset)
    }

    func addAdminRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.usersWrite).post("users/{id}/password-reset", use: adminReset)
        requiring(Permission.usersWrite).post("users/{id}/email-verification", use: adminVerification)
        requiring(Permission.usersRead).get("mail-outbox", use: list)
    }

    static var accepted: EditedResponse<EmptyObjectResponse> {
        .noStore(EmptyObjectResponse(), status: .accepted)
    }

    @Sendable func requestVerification(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<EmptyObjectResponse> {
        try await emails.requestVerification(try context.requirePrincipal(), meta: context.meta(request))
        return Self.accepted
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let body = try await request.decodeBody(as: EmailVerifyRequest.self, context: context)
        let meta = context.meta(request)
        switch try MailedProof(token: body.token, email: body.email, code: body.code) {
        case .token(let token):
            return UserResponse(try await emails.verify(token: token, meta: meta))
        case .code(let email, let code):
            return UserResponse(try await emails.verify(email: email, code: code, meta: meta))
        }
    }

    @Sendable func forgot(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<EmptyObjectResponse> {
        let body = try await request.decodeBody(as: ForgotPasswordRequest.self, context: context)
        guard EmailAddress.normalize(body.email) != nil else { throw AuthError.validation([.invalidEmail()]) }
        try await emails.forgot(email: body.email, meta: context.meta(request))
        return Self.accepted
    }

    @Sendable func resend(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<EmptyObjectResponse> {
        let body = try await request.decodeBody(as: ForgotPasswordRequest.self, context: context)
        guard EmailAddress.normalize(body.email) != nil else { throw AuthError.validation([.invalidEmail()]) }
        try await emails.resendVerification(email: body.email, meta: context.meta(request))
        return Self.accepted
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let body = try await request.decodeBody(as: ResetPasswordRequest.self, context: context)
        let meta = context.meta(request)
        switch try MailedProof(token: body.token, email: body.email, code: body.code) {
        case .token(let token):
            try await emails.reset(token: token, newPassword: body.new_password, meta: meta)
        case .code(let email, let code):
            try await emails.reset(email: email, code: code, newPassword: body.new_password, meta: meta)
        }
        return .noContent
    }

    @Sendable func adminReset(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<EmptyObjectResponse> {
        let id = try AdminUserController.userID(context)
        try await emails.adminRequestReset(id, actor: try context.requirePrincipal(), meta: context.meta(request))
        return Self.accepted
    }

    @Sendable func adminVerification(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> EditedResponse<EmptyObjectResponse> {
        let id = try AdminUserController.userID(context)
        try await emails.adminRequestVerification(
            id,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return Self.accepted
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<OutboxMailResponse>
    {
        var parameters = QueryParameters(request)
        var query = OutboxQuery()
        (query.page, query.perPage) = parameters.page()
        query.status = parameters.choice("status", as: OutboxMail.Status.self)
        try parameters.finish()
        return PageResponse(try await outbox.list(query), OutboxMailResponse.init)
    }
}
