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

extension VerifyRequest: FastRequestBody {
    /// The hottest route's body read without the generic decoder (a profile showed its cost, bench/results.md): only
    /// for the plain shape, a string token, a short list of short permission strings, no `required_aal`, and no U+0000
    /// in what is read. Anything else goes the generic way, so every answer (and every 422) stays the same.
    static func fast(_ members: [String: JSONValue]) -> VerifyRequest? {
        guard case .string(let token)? = members["token"], token.utf8.count <= FieldLimits.introspectedToken,
            !token.utf8.containsNUL
        else { return nil }
        switch members["required_aal"] {
        case nil, .null?: break
        default: return nil
        }
        switch members["required_permissions"] {
        case nil, .null?:
            return VerifyRequest(token: token, required_permissions: nil, required_aal: nil)
        case .array(let items)? where items.count <= 200:
            var permissions: [String] = []
            permissions.reserveCapacity(items.count)
            for item in items {
                guard case .string(let permission) = item, permission.utf8.count <= FieldLimits.arrayItem,
                    !permission.utf8.containsNUL
                else { return nil }
                permissions.append(permission)
            }
            return VerifyRequest(token: token, required_permissions: permissions, required_aal: nil)
        default:
            return nil
        }
    }
}
