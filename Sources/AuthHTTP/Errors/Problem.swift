import AuthCore
import Foundation
import Hummingbird
import Logging
import Metrics

/// An RFC 9457 problem ready to send: the one place where errors become HTTP statuses.
struct Problem: Error {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    var fieldErrors: [FieldError] = []
    var retryAfter: Int?
    var missingPermissions: [String] = []
    var mfaToken: String?
    /// Headers the answer carries besides the problem's own (rate-limit state, `Allow`).
    var headers: HTTPFields = [:]

    /// The status of each kind of domain failure.
    static func status(of kind: AuthError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .malformed: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .unprocessableContent
        case .throttled: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .unexpected: .internalServerError
        }
    }

    init(status: HTTPResponse.Status, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    init(_ error: AuthError) {
        self.init(status: Self.status(of: error.kind), code: error.code, detail: error.detail)
        fieldErrors = error.fieldErrors
        retryAfter = error.retryAfter
        missingPermissions = error.missingPermissions
        mfaToken = error.mfaToken
        if error.kind == .unavailable { retryAfter = error.retryAfter ?? 5 }
    }

    /// Any error as a problem. Unexpected errors are logged by type only (never their text, which may hold SQL or
    /// values) and answered without detail.
    init(for error: any Error, logger: Logger) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as AuthError:
            self.init(error)
            // Only the lost database is logged (as `response` counts it); admission control's `overloaded` is
            // expected under load and counted by `HashAdmission`.
            if error.code == AuthError.serviceUnavailable.code {
                logger.error("database unavailable")
            }
        case let limited as RateLimited:
            self.init(AuthError.rateLimited(retryAfter: limited.decision.retryAfter))
            limited.decision.apply(to: &headers)
        case let error as HTTPError:
            switch error.status {
            case .notFound: self.init(AuthError.notFound)
            case .methodNotAllowed: self = .methodNotAllowed
            case .contentTooLarge: self = .payloadTooLarge
            case .badRequest: self.init(AuthError.malformedRequest("The request is malformed."))
            default: self.init(status: error.status, code: "http_error", detail: error.status.reasonPhrase)
            }
        default:
            logger.error("unexpected error", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
            self.init(AuthError.internalError)
        }
    }

    static let methodNotAllowed = Problem(
        status: .methodNotAllowed,
        code: "method_not_allowed",
        detail: "This method is not allowed on this resource."
    )
    static let payloadTooLarge = Problem(
        status: .contentTooLarge,
        code: "payload_too_large",
        detail: "The request body is too large."
    )
    static let unsupportedMediaType = Problem(
        status: .badRequest,
        code: "unsupported_media_type",
        detail: "Send the body as application/json."
    )

    /// Codes only the HTTP layer raises; with `AuthError.allCodes`, every code a client can see.
    static let httpCodes = ["method_not_allowed", "payload_too_large", "unsupported_media_type", "http_error"]

    /// The response, with the request id, and the counters operators watch.
    func response(requestID: String) -> Response {
        if status == .tooManyRequests {
            Counter(label: "authd_throttled_requests_total", dimensions: [("code", code)]).increment()
        }
        if code == AuthError.serviceUnavailable.code {
            Counter(label: "authd_database_errors_total").increment()
        } else if status.code >= 500 {
            Counter(label: "authd_errors_total", dimensions: [("code", code)]).increment()
        }
        var headers = self.headers
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized {
            headers[.wwwAuthenticate] =
                code == AuthError.invalidClient.code ? "Basic realm=\"authd\"" : "Bearer realm=\"authd\""
        }
        let body = ProblemDetails(
            type: "https://authd.dev/problems/\(code.replacingOccurrences(of: "_", with: "-"))",
            title: status.reasonPhrase,
            status: Int(status.code),
            detail: detail,
            code: code,
            requestID: requestID,
            errors: fieldErrors.isEmpty ? (status == .unprocessableContent ? [] : nil) : fieldErrors,
            missingPermissions: missingPermissions.isEmpty ? nil : missingPermissions,
            mfaToken: mfaToken
        )
        do {
            return try JSONResponse.make(
                body,
                status: status,
                contentType: "application/problem+json",
                headers: headers
            )
        } catch {
            return Response(status: .internalServerError)
        }
    }
}
