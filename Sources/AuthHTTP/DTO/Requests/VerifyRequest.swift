import AuthCore

/// `POST /auth/verify` (RFC 7662 shaped).
struct VerifyRequest: RequestBody {
    let token: String
    let required_permissions: [String]?

    static let maxLengths = ["token": FieldLimits.introspectedToken, "required_permissions": FieldLimits.arrayItem]
    static let refusesUnknownMembers = false
}
