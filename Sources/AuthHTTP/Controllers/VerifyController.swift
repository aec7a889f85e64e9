import AuthCore
import Foundation
import Hummingbird

/// `POST /auth/verify`: token introspection for service clients (HTTP Basic), limited per client.
struct VerifyController {
    let clients: ServiceClientAuthenticator
    let introspection: IntrospectionService
    let limiter: RateLimiter?
    let perClientLimit: Int
    let failureLimit: Int
    let audit: AuditLog
    let store: any AuthStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("verify", use: verify)
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Failed client authentication is limited per address, checked before any lookup.
        let failureKey =
            limiter == nil ? "" : "verify-failures|" + (context.clientIP.flatMap(IPAddress.init)?.limitKey ?? "unknown")
        if let limiter {
            let peeked = limiter.peek(key: failureKey, limit: failureLimit)
            guard peeked.allowed else { throw RateLimited(decision: peeked) }
        }
        guard let (clientID, secret) = Self.basicCredentials(request.headers[.authorization]),
            let client = try await clients.authenticate(clientID: clientID, secret: secret, meta: context.meta(request))
        else {
            if let limiter {
                let taken = limiter.take(key: failureKey, limit: failureLimit)
                guard taken.allowed else { throw await refused(taken, limit: "verify_failures", request, context) }
            }
            throw AuthError.invalidClient
        }
        var context = context
        context.serviceClientID = client
        var decision: RateLimiter.Decision?
        if let limiter {
            let taken = limiter.take(key: "verify|" + client, limit: perClientLimit)
            guard taken.allowed else { throw await refused(taken, limit: "verify", request, context) }
            decision = taken
        }
        let body = try await request.decodeBody(as: VerifyRequest.self, context: context)
        let result = try await introspection.introspect(
            token: body.token,
            requiredPermissions: body.required_permissions ?? [],
            requiredAAL: body.required_aal ?? 1,
            meta: PersonalTokenFormat.looksLikeToken(body.token) ? context.meta(request) : RequestMeta()
        )
        var response = JSONResponse.make(
            json: IntrospectionResponse(value: result).json,
            headers: [.cacheControl: "no-store"]
        )
        decision?.apply(to: &response.headers)
        return response
    }

    /// The first refusal of a burst is audited (`rate_limit.exceeded`).
    private func refused(
        _ decision: RateLimiter.Decision,
        limit: String,
        _ request: Request,
        _ context: AppRequestContext
    ) async -> RateLimited {
        if decision.firstRefusal {
            await RateLimitMiddleware.audit(
                decision,
                limit: limit,
                audit: audit,
                store: store,
                meta: context.meta(request)
            )
        }
        return RateLimited(decision: decision)
    }

    /// `Authorization: Basic base64(client_id:client_secret)`, each part percent-decoded (RFC 6749 §2.3.1).
    /// Works on bytes: this runs on every `/auth/verify`.
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header else { return nil }
        var bytes = Array(header.utf8)[...]
        let scheme = Array("basic ".utf8)
        guard bytes.count > scheme.count,
            zip(bytes.prefix(scheme.count), scheme).allSatisfy({ (65...90).contains($0) ? $0 | 0x20 == $1 : $0 == $1 })
        else { return nil }
        bytes = bytes.dropFirst(scheme.count)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        guard let decoded = Data(base64Encoded: Data(bytes)).map(Array.init),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
            let id = String(validating: decoded[..<colon], as: UTF8.self),
            let secret = String(validating: decoded[(colon + 1)...], as: UTF8.self)
        else { return nil }
        func percentDecoded(_ s: String) -> String {
            s.utf8.contains(UInt8(ascii: "%")) ? s.removingPercentEncoding ?? s : s
        }
        return (percentDecoded(id), percentDecoded(secret))
    }
}
