import AuthCore
import HTTPTypes
import Hummingbird

/// Per-client-IP token buckets on the `/auth/*` routes; every answer carries the `RateLimit-*` headers.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let name: String
    let limit: Int

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let decision = limiter.take(
            key: name + "|" + (context.clientIP.flatMap(IPAddress.init)?.limitKey ?? "unknown"),
            limit: limit
        )
        guard decision.allowed else { throw RateLimited(decision: decision) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Problem(for: error, logger: context.logger).response(requestID: context.requestID)
        }
        decision.apply(to: &response.headers)
        return response
    }
}

/// A request over its rate limit; answered 429 with the limiter's headers.
struct RateLimited: Error {
    let decision: RateLimiter.Decision
}

extension RateLimiter.Decision {
    func apply(to headers: inout HTTPFields) {
        headers[.rateLimitLimit] = String(limit)
        headers[.rateLimitRemaining] = String(remaining)
        headers[.rateLimitReset] = String(resetAfter)
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
}
