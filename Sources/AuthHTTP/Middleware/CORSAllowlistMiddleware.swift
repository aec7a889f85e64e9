import Hummingbird

/// CORS for the origins in AUTH_CORS_ORIGINS only: the request's Origin is echoed when it is on the list
/// (with `Vary: Origin`), preflight requests from listed origins are answered, anything else gets no CORS headers.
struct CORSAllowlistMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let origins: Set<String>

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-Request-ID"
            response.headers[.accessControlMaxAge] = "600"
            apply(origin, to: &response.headers)
            return response
        }
        var response = try await next(request, context)
        apply(origin, to: &response.headers)
        response.headers[.accessControlExposeHeaders] =
            "X-Request-ID, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
        return response
    }

    func apply(_ origin: String, to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
    }
}
