import AuthCore
import Hummingbird

/// Refuses (403, audited) an authenticated caller without the permission.
struct RequirePermission: RouterMiddleware {
    typealias Context = AppRequestContext
    let permission: String
    let audit: AuditLog
    let store: any AuthStore

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.has(permission) else {
            let event = audit.event(
                "permission.denied",
                .failure,
                actor: principal.userID,
                user: principal.userID,
                meta: context.meta(request),
                details: [
                    "permission": permission, "method": request.method.rawValue,
                    "path": String(request.uri.path.prefix(200)),
                ]
            )
            await audit.recordDetached(event, in: store)
            throw AuthError.permissionDenied(permission)
        }
        return try await next(request, context)
    }
}
