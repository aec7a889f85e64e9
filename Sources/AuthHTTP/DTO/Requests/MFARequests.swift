import AuthCore

/// `POST /auth/mfa/totp`.
struct MFABeginRequest: RequestBody {
    let current_password: String
    static let maxLengths = ["current_password": FieldLimits.password]
}

/// `POST /auth/mfa/totp/confirm` and `POST /auth/mfa/recovery-codes`.
struct MFACodeRequest: RequestBody {
    let code: String
    static let maxLengths = ["code": FieldLimits.mfaCode]
}

/// `DELETE /auth/mfa/totp`: the password and a code (or a recovery code).
struct MFADisableRequest: RequestBody {
    let current_password: String
    let code: String
    static let maxLengths = ["current_password": FieldLimits.password, "code": FieldLimits.mfaCode]
}

/// `POST /auth/mfa/verify`: the second step of a login.
struct MFAVerifyRequest: RequestBody {
    let mfa_token: String
    let code: String?
    let recovery_code: String?
    static let maxLengths = [
        "mfa_token": FieldLimits.mfaToken, "code": FieldLimits.mfaCode, "recovery_code": FieldLimits.mfaCode,
    ]
}
