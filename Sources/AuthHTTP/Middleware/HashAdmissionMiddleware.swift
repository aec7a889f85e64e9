import AuthCore
import Hummingbird

/// Takes a place in the bcrypt queue for the request (login, registration, password change and reset), or answers
/// 503 `overloaded` with `Retry-After` at once when the wait for one would be too long (`HashAdmission`).
struct HashAdmissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let admission: HashAdmission

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        try await admission.admitted { try await next(request, context) }
    }
}
