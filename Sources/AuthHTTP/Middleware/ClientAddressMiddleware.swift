import HTTPTypes
import Hummingbird

/// Sets `context.clientIP`: the peer, or the address a trusted proxy forwarded.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: TrustedProxies

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientIP = trustedProxies.clientIP(
            peer: context.peerIP,
            forwardedFor: request.headers[values: .xForwardedFor]
        )
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
