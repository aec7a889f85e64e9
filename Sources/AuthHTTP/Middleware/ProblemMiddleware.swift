import Hummingbird

/// Turns every error thrown below it into an RFC 9457 problem (see `Problem`), and a path served with another
/// method into 405 with `Allow` (RFC 9110 §15.5.6).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let catalog: RouteCatalog

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = catalog.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else {
                return Problem(for: error, logger: context.logger).response(requestID: context.requestID)
            }
            var problem = Problem.methodNotAllowed
            problem.headers[.allow] = allowed.joined(separator: ", ")
            return problem.response(requestID: context.requestID)
        } catch {
            return Problem(for: error, logger: context.logger).response(requestID: context.requestID)
        }
    }
}
