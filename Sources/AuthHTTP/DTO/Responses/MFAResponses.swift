import Hummingbird

/// `POST /auth/mfa/totp`: the secret, shown until confirmed.
struct MFASetupResponse: ResponseEncodable, Sendable {
    let secret: String
    let otpauthURI: String

    enum CodingKeys: String, CodingKey {
        case secret
        case otpauthURI = "otpauth_uri"
    }
}

/// Ten recovery codes, shown once.
struct RecoveryCodesResponse: ResponseEncodable, Sendable {
    let recoveryCodes: [String]

    enum CodingKeys: String, CodingKey {
        case recoveryCodes = "recovery_codes"
    }
}
