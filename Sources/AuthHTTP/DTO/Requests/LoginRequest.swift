import AuthCore

/// `POST /auth/login`. Other members are ignored, as most clients send extras.
struct LoginRequest: RequestBody {
    let email: String
    let password: String

    static let maxLengths = ["email": FieldLimits.email, "password": FieldLimits.password]
    static let refusesUnknownMembers = false
}
