import AuthCore

/// `POST /auth/change-password`.
struct ChangePasswordRequest: RequestBody {
    let current_password: String
    let new_password: String

    static let maxLengths = ["current_password": FieldLimits.password, "new_password": FieldLimits.password]
}
