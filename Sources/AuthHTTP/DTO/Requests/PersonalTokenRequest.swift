import AuthCore

/// `POST /auth/tokens`: a name, the permissions (covered by the caller's), and a lifetime in seconds or none.
struct PersonalTokenRequest: RequestBody {
    let name: String
    let permissions: [String]
    let expires_in: Int?
    let never_expires: Bool?

    static let maxLengths = ["name": FieldLimits.personalTokenName, "permissions": FieldLimits.permission]
    static let maxCounts = ["permissions": FieldLimits.permissionsPerToken]
}
