import AuthCore

/// `POST /auth/login`. Other members are ignored, as most clients send extras.
struct LoginRequest: RequestBody {
    let email: String
    let password: String

    static let maxLengths = ["email": FieldLimits.email, "password": FieldLimits.password]
    static let refusesUnknownMembers = false
    /// A NUL in either is a failed login like any other (see `LoginService`), not a 422 that tells it apart.
    static let membersAllowingNUL: Set<String> = ["email", "password"]
}
