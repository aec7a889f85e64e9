import AuthCore
import AuthPersistence
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Synchronization

/// The outermost middleware: request id, client address, the single error-to-problem mapping,
/// security headers, the access log line and request metrics.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: TrustedProxies
    let logger: Logger
    let catalog: RouteCatalog

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let start = ContinuousClock.now
        context.requestID = Self.requestID(from: request.headers[.init("X-Request-ID")!])
        context.clientIP = trustedProxies.clientIP(peer: context.peerIP, forwardedFor: request.headers[values: .init("X-Forwarded-For")!])
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A path we serve, with a method we do not: 405 with Allow, as RFC 9110 §15.5.6 asks.
            let allowed = catalog.methods(for: request.uri.path)
            if allowed.isEmpty || allowed.contains(request.method.rawValue) {
                response = problemResponse(for: error, requestID: context.requestID, logger: context.logger)
            } else {
                response = problemResponse(for: AuthError.methodNotAllowed, requestID: context.requestID, logger: context.logger)
                response.headers[.allow] = allowed.joined(separator: ", ")
            }
        } catch {
            response = problemResponse(for: error, requestID: context.requestID, logger: context.logger)
        }
        response.headers[.init("X-Request-ID")!] = context.requestID
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        let route = context.endpointPath ?? "unmatched"
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if context.logger.logLevel <= .info {
            var metadata: Logger.Metadata = [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code), "duration_ms": .stringConvertible((seconds * 1000 * 100).rounded() / 100),
            ]
            if let user = context.principal?.userID { metadata["user_id"] = .string(user.uuidString.lowercased()) }
            context.logger.info("request", metadata: metadata)
        }
        RequestMetrics.shared.record(method: request.method.rawValue, route: route, status: Int(response.status.code), nanoseconds: Int64(seconds * 1e9))
        return response
    }

    /// The client's X-Request-ID when it is sane (1 to 128 of [A-Za-z0-9._:-]), else a new one.
    static func requestID(from header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 128,
           header.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0)) }) {
            return header
        }
        return UUID().uuidString.lowercased()
    }
}

/// Request counters and timers, made once per (method, route, status) and reused: creating a metric goes
/// through the registry's lock and label handling, too slow to do on every request.
final class RequestMetrics: Sendable {
    static let shared = RequestMetrics()
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Metrics.Timer]>([:])

    func record(method: String, route: String, status: Int, nanoseconds: Int64) {
        let key = method + " " + route
        let counterKey = key + " " + String(status)
        let counter = counters.withLock { cache in
            if let c = cache[counterKey] { return c }
            let c = Counter(label: "authd_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))])
            cache[counterKey] = c
            return c
        }
        counter.increment()
        let timer = timers.withLock { cache in
            if let t = cache[key] { return t }
            let t = Metrics.Timer(label: "authd_http_request_duration_seconds", dimensions: [("method", method), ("route", route)])
            cache[key] = t
            return t
        }
        timer.recordNanoseconds(nanoseconds)
    }
}

/// Maps any error to an RFC 9457 problem. Unexpected errors are logged by type only (never their text, which
/// may hold SQL or values) and answered without detail.
func problemResponse(for error: any Error, requestID: String, logger: Logger) -> Response {
    var authError: AuthError
    var headers: HTTPFields = [:]
    switch error {
    case let e as AuthError:
        authError = e
    case let e as RateLimited:
        authError = .rateLimited(retryAfter: e.decision.retryAfter)
        e.decision.apply(to: &headers)
    case let e as HTTPError:
        switch e.status {
        case .notFound: authError = .notFound
        case .methodNotAllowed: authError = .methodNotAllowed
        case .contentTooLarge: authError = .payloadTooLarge
        case .badRequest: authError = .malformedRequest("The request is malformed.")
        default:
            authError = AuthError(code: "http_error", status: Int(e.status.code), title: e.status.reasonPhrase, detail: e.status.reasonPhrase)
        }
    default:
        if isDatabaseUnavailable(error) {
            logger.error("database unavailable", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
            authError = .serviceUnavailable
        } else {
            logger.error("unexpected error", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
            authError = .internalError
        }
    }
    if authError.status == 429 { Counter(label: "authd_throttled_requests_total", dimensions: [("code", authError.code)]).increment() }
    if authError.status >= 500, authError.code != AuthError.serviceUnavailable.code {
        Counter(label: "authd_errors_total", dimensions: [("code", authError.code)]).increment()
    }
    if authError.code == AuthError.serviceUnavailable.code {
        Counter(label: "authd_database_errors_total").increment()
    }
    let body = ProblemDetails(
        type: "https://authd.dev/problems/\(authError.code.replacingOccurrences(of: "_", with: "-"))", title: authError.title,
        status: authError.status, detail: authError.detail, code: authError.code, request_id: requestID,
        errors: authError.fieldErrors.isEmpty ? (authError.status == 422 ? [] : nil) : authError.fieldErrors)
    if let retry = authError.retryAfter { headers[.retryAfter] = String(retry) }
    if authError.status == 401 { headers[.wwwAuthenticate] = authError.code == "invalid_client" ? "Basic realm=\"authd\"" : "Bearer realm=\"authd\"" }
    if authError.code == AuthError.serviceUnavailable.code { headers[.retryAfter] = "5" }
    do {
        return try JSONResponse.make(body, status: .init(code: authError.status), contentType: "application/problem+json", headers: headers)
    } catch {
        return Response(status: .internalServerError)
    }
}

/// Which peers may tell us the client's address through X-Forwarded-For.
struct TrustedProxies: Sendable {
    let entries: [String]

    func isTrusted(_ address: String) -> Bool {
        entries.contains { entry in
            if entry.contains("/") { return Self.ipv4(address, inCIDR: entry) }
            return entry == address
        }
    }

    /// The peer, unless it is a trusted proxy: then the right-most X-Forwarded-For address that is not one.
    func clientIP(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !entries.isEmpty, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop) {
            return Self.isIPAddress(hop) ? hop : peer
        }
        return hops.first.flatMap { Self.isIPAddress($0) ? $0 : nil } ?? peer
    }

    static func isIPAddress(_ s: String) -> Bool {
        (try? SocketAddress(ipAddress: s, port: 0)) != nil
    }

    static func ipv4(_ address: String, inCIDR cidr: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let network = ipv4Value(String(parts[0])), let value = ipv4Value(address) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return network & mask == value & mask
    }

    static func ipv4Value(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }
}
