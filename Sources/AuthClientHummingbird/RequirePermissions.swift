import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// Refuses callers whose permissions do not cover every one of `permissions` (403); unauthenticated is 401.
/// Place it after `AuthdAuthenticator`.
public struct RequirePermissions<Context: AuthClientRequestContext>: RouterMiddleware {
    let permissions: [String]

    public init(_ permissions: String...) { self.permissions = permissions }
    public init(_ permissions: [String]) { self.permissions = permissions }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let caller = context.verifiedToken else {
            return AuthProblem.unauthenticated()
        }
        guard caller.hasAll(permissions) else {
            return AuthProblem.response(
                status: .forbidden,
                code: "permission_denied",
                detail: "This action needs: \(permissions.joined(separator: ", "))."
            )
        }
        return try await next(request, context)
    }
}
