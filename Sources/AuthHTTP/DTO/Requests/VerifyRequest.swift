import AuthCore

/// `POST /auth/verify` (RFC 7662 shaped).
struct VerifyRequest: RequestBody {
    let token: String
    let required_permissions: [String]?
    /// 2: `allowed` only for a session that passed a second factor.
    let required_aal: Int?

    static let maxLengths = ["token": FieldLimits.introspectedToken, "required_permissions": FieldLimits.arrayItem]
    static let refusesUnknownMembers = false
}
