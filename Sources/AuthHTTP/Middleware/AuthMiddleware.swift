import AuthCore
import Foundation
import Hummingbird

/// Requires a valid bearer access token whose session and user are live now; sets `context.principal`.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else { throw AuthError.invalidToken }
        var context = context
        context.principal = try await accounts.authenticate(accessToken: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}

/// Refuses (403, audited) an authenticated caller without the permission.
struct RequirePermission: RouterMiddleware {
    typealias Context = AppRequestContext
    let permission: String
    let audit: AuditLog
    let store: any AuthStore

    init(_ permission: String, services: AuthServices) {
        self.permission = permission
        self.audit = services.accounts.audit
        self.store = services.store
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.has(permission) else {
            await audit.recordDetached(audit.event("permission.denied", .failure, actor: principal.userID, user: principal.userID,
                                                   meta: context.meta(request),
                                                   details: ["permission": permission, "method": request.method.rawValue,
                                                             "path": String(request.uri.path.prefix(200))]), in: store)
            throw AuthError.permissionDenied(permission)
        }
        return try await next(request, context)
    }
}

/// Per-client-IP token buckets on the `/auth/*` routes.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let name: String
    let limit: Int

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let decision = limiter.take(key: name + "|" + (context.clientIP ?? "unknown"), limit: limit)
        guard decision.allowed else {
            throw RateLimited(decision: decision)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = problemResponse(for: error, requestID: context.requestID, logger: context.logger)
        }
        decision.apply(to: &response.headers)
        return response
    }
}

struct RateLimited: Error {
    let decision: RateLimiter.Decision
}

extension RateLimiter.Decision {
    func apply(to headers: inout HTTPFields) {
        headers[.init("RateLimit-Limit")!] = String(limit)
        headers[.init("RateLimit-Remaining")!] = String(remaining)
        headers[.init("RateLimit-Reset")!] = String(resetAfter)
    }
}
