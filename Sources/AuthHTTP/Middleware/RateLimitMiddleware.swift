import AuthCore
import HTTPTypes
import Hummingbird

/// Per-client-IP token buckets on the `/auth/*` routes; every answer carries the `RateLimit-*` headers. The first
/// refusal of a burst is audited (`rate_limit.exceeded`), the rest of the burst is not.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let name: String
    let limit: Int
    let audit: AuditLog
    let store: any AuthStore

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let decision = limiter.take(
            key: name + "|" + (context.clientIP.flatMap(IPAddress.init)?.limitKey ?? "unknown"),
            limit: limit
        )
        guard decision.allowed else {
            if decision.firstRefusal {
                await Self.audit(decision, limit: name, audit: audit, store: store, meta: context.meta(request))
            }
            throw RateLimited(decision: decision)
        }
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

extension RateLimitMiddleware {
    static func audit(
        _ decision: RateLimiter.Decision,
        limit name: String,
        audit: AuditLog,
        store: any AuthStore,
        meta: RequestMeta
    ) async {
        let event = audit.event(
            "rate_limit.exceeded",
            .failure,
            meta: meta,
            details: ["limit": name, "per_minute": String(decision.limit)]
        )
        await audit.recordDetached(event, in: store)
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
