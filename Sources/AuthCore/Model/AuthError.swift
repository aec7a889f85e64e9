/// A failure a client may see. `code` is stable and machine-readable; `detail` never holds a secret.
public struct AuthError: Error, Sendable, Equatable {
    public var code: String
    public var status: Int
    public var title: String
    public var detail: String
    public var fieldErrors: [FieldError]
    /// Seconds a throttled client should wait.
    public var retryAfter: Int?

    public init(code: String, status: Int, title: String, detail: String, fieldErrors: [FieldError] = [], retryAfter: Int? = nil) {
        self.code = code
        self.status = status
        self.title = title
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.retryAfter = retryAfter
    }
}

/// One invalid field of a request body or query.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var code: String
    public var message: String
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

extension AuthError {
    // 400
    public static func malformedRequest(_ detail: String) -> AuthError {
        AuthError(code: "malformed_request", status: 400, title: "Bad Request", detail: detail)
    }
    // 401
    public static let invalidCredentials = AuthError(
        code: "invalid_credentials", status: 401, title: "Unauthorized", detail: "The email or password is incorrect.")
    public static let invalidToken = AuthError(
        code: "invalid_token", status: 401, title: "Unauthorized", detail: "The access token is missing, invalid, expired or revoked.")
    public static let invalidRefreshToken = AuthError(
        code: "invalid_refresh_token", status: 401, title: "Unauthorized", detail: "The refresh token is invalid, expired or revoked.")
    public static let refreshTokenReused = AuthError(
        code: "refresh_token_reused", status: 401, title: "Unauthorized",
        detail: "This refresh token was already used; the session has been revoked.")
    public static let refreshTokenRotated = AuthError(
        code: "refresh_token_rotated", status: 401, title: "Unauthorized",
        detail: "This refresh token was just rotated; use the newest refresh token.")
    public static let invalidClient = AuthError(
        code: "invalid_client", status: 401, title: "Unauthorized", detail: "Service client authentication failed.")
    /// 422, not 401: the caller is authenticated; a 401 would make clients drop their tokens.
    public static let invalidCurrentPassword = AuthError(
        code: "invalid_current_password", status: 422, title: "Unprocessable Content", detail: "The current password is incorrect.",
        fieldErrors: [FieldError(field: "current_password", code: "incorrect", message: "The current password is incorrect.")])
    // 403
    public static func permissionDenied(_ permission: String) -> AuthError {
        AuthError(code: "permission_denied", status: 403, title: "Forbidden", detail: "This action needs the permission \(permission).")
    }
    // 404
    public static let notFound = AuthError(code: "not_found", status: 404, title: "Not Found", detail: "No such resource.")
    public static let userNotFound = AuthError(code: "user_not_found", status: 404, title: "Not Found", detail: "No such user.")
    public static let sessionNotFound = AuthError(code: "session_not_found", status: 404, title: "Not Found", detail: "No such session.")
    public static let roleNotFound = AuthError(code: "role_not_found", status: 404, title: "Not Found", detail: "No such role.")
    public static let clientNotFound = AuthError(
        code: "service_client_not_found", status: 404, title: "Not Found", detail: "No such service client.")
    // 405
    public static let methodNotAllowed = AuthError(
        code: "method_not_allowed", status: 405, title: "Method Not Allowed", detail: "This method is not allowed on this resource.")
    // 409
    public static let emailTaken = AuthError(
        code: "email_taken", status: 409, title: "Conflict", detail: "An account with this email already exists.")
    public static let roleExists = AuthError(code: "role_exists", status: 409, title: "Conflict", detail: "A role with this name already exists.")
    public static let systemRole = AuthError(
        code: "system_role", status: 409, title: "Conflict", detail: "System roles cannot be deleted or stripped of their permissions.")
    public static let cannotDeleteSelf = AuthError(
        code: "cannot_delete_self", status: 409, title: "Conflict", detail: "An administrator cannot delete its own account.")
    public static let lastAdmin = AuthError(
        code: "last_admin", status: 409, title: "Conflict", detail: "This would leave no user holding the * permission.")
    // 413
    public static let payloadTooLarge = AuthError(
        code: "payload_too_large", status: 413, title: "Content Too Large", detail: "The request body is too large.")
    public static let unsupportedMediaType = AuthError(
        code: "unsupported_media_type", status: 400, title: "Bad Request", detail: "Send the body as application/json.")
    // 422
    public static func validation(_ errors: [FieldError]) -> AuthError {
        AuthError(code: "validation_failed", status: 422, title: "Unprocessable Content",
                  detail: "The request has invalid fields.", fieldErrors: errors)
    }
    public static func validation(field: String, code: String, message: String) -> AuthError {
        validation([FieldError(field: field, code: code, message: message)])
    }
    // 429
    public static func rateLimited(retryAfter: Int) -> AuthError {
        AuthError(code: "rate_limited", status: 429, title: "Too Many Requests",
                  detail: "Too many requests; retry later.", retryAfter: retryAfter)
    }
    public static func loginThrottled(retryAfter: Int) -> AuthError {
        AuthError(code: "login_throttled", status: 429, title: "Too Many Requests",
                  detail: "Too many failed logins for this account; retry later.", retryAfter: retryAfter)
    }
    // 500, 503
    public static let internalError = AuthError(
        code: "internal_error", status: 500, title: "Internal Server Error", detail: "An unexpected error occurred.")
    public static let serviceUnavailable = AuthError(
        code: "service_unavailable", status: 503, title: "Service Unavailable", detail: "The database is not reachable.")
}

extension AuthError {
    /// Every stable code, for the OpenAPI document and its test.
    public static let allCodes: [String] = [
        "malformed_request", "invalid_credentials", "invalid_token", "invalid_refresh_token", "refresh_token_reused",
        "refresh_token_rotated", "invalid_client", "invalid_current_password", "permission_denied", "not_found",
        "user_not_found", "session_not_found", "role_not_found", "service_client_not_found", "method_not_allowed",
        "email_taken", "role_exists", "system_role", "cannot_delete_self", "last_admin", "payload_too_large",
        "unsupported_media_type", "validation_failed", "rate_limited", "login_throttled", "internal_error",
        "service_unavailable",
    ]
}
