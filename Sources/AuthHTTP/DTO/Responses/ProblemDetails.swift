import AuthCore

/// RFC 9457 problem details.
struct ProblemDetails: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let requestID: String
    let errors: [FieldError]?
    /// Only for `insufficient_privileges`.
    let missingPermissions: [String]?
    /// Only for `mfa_required`: the opaque token `POST /auth/mfa/verify` takes with the code.
    var mfaToken: String? = nil

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors
        case requestID = "request_id"
        case missingPermissions = "missing_permissions"
        case mfaToken = "mfa_token"
    }
}
