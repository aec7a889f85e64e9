/// A failure a client may see. `code` is stable and machine-readable; `detail` never holds a secret.
/// The domain says what kind of failure it is; AuthHTTP decides how to answer each kind.
public struct AuthError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable, CaseIterable {
        /// The request cannot be read at all.
        case malformed
        /// No (or no valid) credentials.
        case unauthenticated
        /// Authenticated, but not allowed.
        case forbidden
        case notFound
        /// The request contradicts the current state (a taken email, the last administrator).
        case conflict
        /// Fields that fail validation, listed in `fieldErrors`.
        case invalid
        /// Too many attempts; `retryAfter` says for how long.
        case throttled
        /// A dependency (the database) cannot be reached.
        case unavailable
        /// A bug or an unexpected failure.
        case unexpected
    }

    public var kind: Kind
    public var code: String
    public var detail: String
    public var fieldErrors: [FieldError]
    /// Seconds a throttled client should wait.
    public var retryAfter: Int?
    /// For `insufficient_privileges`: the permissions the caller would need and does not hold.
    public var missingPermissions: [String] = []
    /// For `mfa_required`: the token of the login's second step.
    public var mfaToken: String?

    public init(_ kind: Kind, code: String, detail: String, fieldErrors: [FieldError] = [], retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.retryAfter = retryAfter
    }
}

extension AuthError {
    public static func malformedRequest(_ detail: String) -> AuthError {
        AuthError(.malformed, code: "malformed_request", detail: detail)
    }

    public static let invalidCredentials = AuthError(
        .unauthenticated,
        code: "invalid_credentials",
        detail: "The email or password is incorrect."
    )
    public static let invalidToken = AuthError(
        .unauthenticated,
        code: "invalid_token",
        detail: "The access token is missing, invalid, expired or revoked."
    )
    public static let invalidRefreshToken = AuthError(
        .unauthenticated,
        code: "invalid_refresh_token",
        detail: "The refresh token is invalid, expired or revoked."
    )
    public static let refreshTokenReused = AuthError(
        .unauthenticated,
        code: "refresh_token_reused",
        detail: "This refresh token was already used; the session has been revoked."
    )
    public static let refreshTokenRotated = AuthError(
        .unauthenticated,
        code: "refresh_token_rotated",
        detail: "This refresh token was just rotated; use the newest refresh token."
    )
    public static let invalidClient = AuthError(
        .unauthenticated,
        code: "invalid_client",
        detail: "Service client authentication failed."
    )
    /// Invalid, not unauthenticated: the caller is signed in, and "unauthenticated" would make clients drop their tokens.
    public static let invalidCurrentPassword = AuthError(
        .invalid,
        code: "invalid_current_password",
        detail: "The current password is incorrect.",
        fieldErrors: [
            FieldError(field: "current_password", code: "incorrect", message: "The current password is incorrect.")
        ]
    )

    /// The delegation rule: nobody grants, edits or acts on more than they hold.
    public static func insufficientPrivileges(missing: [String]) -> AuthError {
        var error = AuthError(
            .forbidden,
            code: "insufficient_privileges",
            detail: "This needs permissions you do not hold: \(missing.joined(separator: ", "))."
        )
        error.missingPermissions = missing
        return error
    }

    public static func permissionDenied(_ permission: String) -> AuthError {
        AuthError(.forbidden, code: "permission_denied", detail: "This action needs the permission \(permission).")
    }

    /// The password was right and the account has a second factor: finish at `POST /auth/mfa/verify`.
    public static func mfaRequired(token: String) -> AuthError {
        var error = AuthError(
            .forbidden,
            code: "mfa_required",
            detail: "A second factor is required: send a code to POST /auth/mfa/verify with the mfa_token."
        )
        error.mfaToken = token
        return error
    }
    public static let invalidMFAToken = AuthError(
        .unauthenticated,
        code: "invalid_mfa_token",
        detail: "The MFA token is unknown, expired, used or out of tries; log in again."
    )
    public static let invalidMFACode = AuthError(
        .unauthenticated,
        code: "invalid_mfa_code",
        detail: "The code is wrong, expired or already used."
    )
    /// A wrong code where the caller is signed in (enrolment, disabling): invalid, not unauthenticated, which
    /// would make clients drop their tokens.
    public static let incorrectMFACode = AuthError(
        .invalid,
        code: "invalid_mfa_code",
        detail: "The code is wrong, expired or already used.",
        fieldErrors: [
            FieldError(field: "code", code: "incorrect", message: "The code is wrong, expired or already used.")
        ]
    )
    /// The change needs a session that passed a second factor (aal 2).
    public static let stepUpRequired = AuthError(
        .forbidden,
        code: "step_up_required",
        detail: "This needs a session that passed a second factor; log in again with it."
    )
    public static let mfaAlreadyEnabled = AuthError(
        .conflict,
        code: "mfa_already_enabled",
        detail: "A TOTP authenticator is already active; disable it first."
    )
    public static let mfaNotEnabled = AuthError(
        .conflict,
        code: "mfa_not_enabled",
        detail: "No TOTP authenticator is active for this account."
    )
    public static let mfaNotPending = AuthError(
        .conflict,
        code: "mfa_not_pending",
        detail: "No TOTP enrolment is waiting for confirmation; start one with POST /auth/mfa/totp."
    )

    /// A personal access token on a route that changes credentials or mints tokens: those need a signed-in session.
    public static let sessionRequired = AuthError(
        .forbidden,
        code: "session_required",
        detail: "This needs a signed-in session; a personal access token cannot do it."
    )

    public static let notFound = AuthError(.notFound, code: "not_found", detail: "No such resource.")
    public static let tokenNotFound = AuthError(
        .notFound,
        code: "token_not_found",
        detail: "No such personal access token."
    )
    public static let userNotFound = AuthError(.notFound, code: "user_not_found", detail: "No such user.")
    public static let sessionNotFound = AuthError(.notFound, code: "session_not_found", detail: "No such session.")
    public static let roleNotFound = AuthError(.notFound, code: "role_not_found", detail: "No such role.")
    public static let clientNotFound = AuthError(
        .notFound,
        code: "service_client_not_found",
        detail: "No such service client."
    )

    public static let emailTaken = AuthError(
        .conflict,
        code: "email_taken",
        detail: "An account with this email already exists."
    )
    public static let roleExists = AuthError(
        .conflict,
        code: "role_exists",
        detail: "A role with this name already exists."
    )
    public static let systemRole = AuthError(
        .conflict,
        code: "system_role",
        detail: "System roles cannot be deleted or stripped of their permissions."
    )
    public static let cannotDeleteSelf = AuthError(
        .conflict,
        code: "cannot_delete_self",
        detail: "An administrator cannot delete its own account."
    )
    public static func tooManyTokens(limit: Int) -> AuthError {
        AuthError(
            .conflict,
            code: "too_many_tokens",
            detail: "A user may hold at most \(limit) personal access tokens; revoke one first."
        )
    }
    public static let lastAdmin = AuthError(
        .conflict,
        code: "last_admin",
        detail: "This would leave no user holding the * permission."
    )

    public static func validation(_ errors: [FieldError]) -> AuthError {
        AuthError(.invalid, code: "validation_failed", detail: "The request has invalid fields.", fieldErrors: errors)
    }

    public static func validation(field: String, code: String, message: String) -> AuthError {
        validation([FieldError(field: field, code: code, message: message)])
    }

    public static func rateLimited(retryAfter: Int) -> AuthError {
        AuthError(.throttled, code: "rate_limited", detail: "Too many requests; retry later.", retryAfter: retryAfter)
    }

    public static func loginThrottled(retryAfter: Int) -> AuthError {
        AuthError(
            .throttled,
            code: "login_throttled",
            detail: "Too many failed logins for this account; retry later.",
            retryAfter: retryAfter
        )
    }

    public static let internalError = AuthError(
        .unexpected,
        code: "internal_error",
        detail: "An unexpected error occurred."
    )
    /// More password hashing is queued than the hash threads can serve within `AUTH_HASH_QUEUE_MAX_WAIT_MS`.
    public static func overloaded(retryAfter: Int) -> AuthError {
        AuthError(
            .unavailable,
            code: "overloaded",
            detail: "Too many sign-ins at once; retry shortly.",
            retryAfter: retryAfter
        )
    }

    public static let serviceUnavailable = AuthError(
        .unavailable,
        code: "service_unavailable",
        detail: "The database is not reachable."
    )

    /// Every stable code the domain raises, for the OpenAPI document and its test.
    public static let allCodes: [String] = [
        "malformed_request", "invalid_credentials", "invalid_token", "invalid_refresh_token", "refresh_token_reused",
        "refresh_token_rotated", "invalid_client", "invalid_current_password", "permission_denied",
        "insufficient_privileges", "not_found",
        "user_not_found", "session_not_found", "role_not_found", "service_client_not_found", "email_taken",
        "role_exists", "system_role", "cannot_delete_self", "last_admin", "validation_failed", "rate_limited",
        "login_throttled", "internal_error", "service_unavailable", "overloaded", "session_required", "token_not_found",
        "too_many_tokens", "mfa_required", "invalid_mfa_token", "invalid_mfa_code", "mfa_already_enabled",
        "mfa_not_enabled", "mfa_not_pending", "step_up_required", "invalid_or_expired_code", "email_not_verified",
        "email_already_verified",
    ]
}
