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

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors
        case requestID = "request_id"
        case missingPermissions = "missing_permissions"
    }
}
