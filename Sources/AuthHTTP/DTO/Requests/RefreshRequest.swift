import AuthCore

/// `POST /auth/refresh`.
struct RefreshRequest: RequestBody {
    let refresh_token: String

    static let maxLengths = ["refresh_token": FieldLimits.refreshToken]
    static let refusesUnknownMembers = false
}
