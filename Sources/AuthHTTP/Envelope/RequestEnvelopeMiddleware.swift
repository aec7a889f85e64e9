import HTTPTypes
import Hummingbird
import Logging

/// What every request goes through before and after its route, in one middleware: the request id, the client
/// address (`TrustedProxies`), errors as RFC 9457 problems (`Problem`, with 405 and `Allow` for a path served with
/// another method), the access log (`AccessLog`), the request metrics (`RequestMetrics`) and the security headers
/// (`SecurityHeaders`). Each job has its own type; they run in one async frame because six nested middlewares cost
/// measurably more CPU per request on the hottest route (bench/results.md, "Refactor check").
struct RequestEnvelopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: TrustedProxies
    let catalog: RouteCatalog
    /// Served over TLS: browsers are told to use https only (HSTS).
    var strictTransportSecurity = false

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = RequestID.from(request.headers[.xRequestID])
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        context.clientIP = trustedProxies.clientIP(
            peer: context.peerIP,
            forwardedFor: request.headers[values: .xForwardedFor]
        )
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = problem(for: error, request, context).response(requestID: context.requestID)
        }
        let elapsed = ContinuousClock.now - start
        AccessLog.record(request, status: response.status, elapsed: elapsed, context: context)
        RequestMetrics.shared.record(
            method: request.method.rawValue,
            route: context.endpointPath ?? "unmatched",
            status: Int(response.status.code),
            nanoseconds: elapsed.wholeNanoseconds
        )
        SecurityHeaders.apply(to: &response.headers)
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        response.headers[.xRequestID] = context.requestID
        return response
    }

    /// The problem for an error; a path that exists with other methods is 405 with `Allow` (RFC 9110 §15.5.6).
    private func problem(for error: any Error, _ request: Request, _ context: AppRequestContext) -> Problem {
        if let error = error as? HTTPError, error.status == .notFound {
            let allowed = catalog.methods(for: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                var problem = Problem.methodNotAllowed
                problem.headers[.allow] = allowed.joined(separator: ", ")
                return problem
            }
        }
        return Problem(for: error, logger: context.logger)
    }
}
