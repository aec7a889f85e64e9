import AuthClient
import Foundation
import Hummingbird
import NIOCore

/// A request context that can carry the caller authd vouched for.
public protocol AuthClientRequestContext: RequestContext {
    var verifiedToken: VerifiedToken? { get set }
}

/// A ready-made context for services that need nothing else.
public struct AuthClientContext: AuthClientRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var verifiedToken: VerifiedToken?
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}

/// Requires `Authorization: Bearer <access token>` accepted by `verifier`; puts the caller on the context.
/// Missing or invalid tokens are 401 problem details; authd unreachable is 503.
public struct AuthdAuthenticator<Context: AuthClientRequestContext>: RouterMiddleware {
    let verifier: any TokenVerifier

    public init(verifier: any TokenVerifier) { self.verifier = verifier }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer "
        else {
            return AuthProblem.response(
                status: .unauthorized,
                code: "invalid_token",
                detail: "A bearer access token is required."
            )
        }
        var context = context
        do {
            context.verifiedToken = try await verifier.verify(
                String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            )
        } catch AuthClientError.invalidToken {
            return AuthProblem.response(
                status: .unauthorized,
                code: "invalid_token",
                detail: "The access token is invalid, expired or revoked."
            )
        } catch {
            return AuthProblem.response(
                status: .serviceUnavailable,
                code: "auth_unavailable",
                detail: "Authentication is unavailable; retry later."
            )
        }
        return try await next(request, context)
    }
}

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
            return AuthProblem.response(
                status: .unauthorized,
                code: "invalid_token",
                detail: "A bearer access token is required."
            )
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

/// RFC 9457 problem details, shaped like authd's own.
enum AuthProblem {
    static func response(status: HTTPResponse.Status, code: String, detail: String) -> Response {
        let body: [String: Any] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": Int(status.code), "code": code,
            "detail": detail,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
