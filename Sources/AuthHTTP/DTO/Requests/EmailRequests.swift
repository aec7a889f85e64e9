import AuthCore

/// `POST /auth/email/verify`: `{"token"}` from the link, or `{"email", "code"}` from the mail.
struct EmailVerifyRequest: RequestBody {
    let token: String?
    let email: String?
    let code: String?
    static let maxLengths = ["token": FieldLimits.mailedToken, "email": FieldLimits.email, "code": FieldLimits.mfaCode]
}

/// `POST /auth/password/forgot`.
struct ForgotPasswordRequest: RequestBody {
    let email: String
    static let maxLengths = ["email": FieldLimits.email]
}

/// `POST /auth/password/reset`: the link's token, or the address and the code, with the new password.
struct ResetPasswordRequest: RequestBody {
    let token: String?
    let email: String?
    let code: String?
    let new_password: String
    static let maxLengths = [
        "token": FieldLimits.mailedToken, "email": FieldLimits.email, "code": FieldLimits.mfaCode,
        "new_password": FieldLimits.password,
    ]
}

/// Which of the two forms a request took: the link's token, or an address and a code; anything else is a 422.
enum MailedProof {
    case token(String)
    case code(email: String, code: String)

    init(token: String?, email: String?, code: String?) throws {
        switch (token, email, code) {
        case (let token?, nil, nil): self = .token(token)
        case (nil, let email?, let code?): self = .code(email: email, code: code)
        default:
            throw AuthError.validation(
                field: token == nil ? "token" : "code",
                code: "required",
                message: "Send either token, or email and code."
            )
        }
    }
}
