import AuthShared

/// How long a request's text fields may be, in Unicode code points (as JSON Schema's `maxLength` counts), and how
/// many items a list may hold. Request decoding, domain validation and `openapi.yaml` (held to these by a test)
/// all read them from here.
public enum FieldLimits {
    /// An email as sent; stored addresses are normalised and at most `storedEmail`.
    public static let email = 320
    public static let storedEmail = 254
    /// Passwords as sent; the policy then refuses anything over `passwordBytes`.
    public static let password = 4096
    /// bcrypt's input: a longer password is refused, never truncated.
    public static let passwordBytes = PasswordPolicy.maximumBytes
    public static let displayName = 200
    public static let givenName = 100
    public static let familyName = 100
    public static let locale = 35
    public static let timezone = 64
    public static let avatarURL = 2048
    public static let roleName = 64
    /// Roles granted in one request.
    public static let rolesPerUser = 50
    public static let roleDescription = 500
    /// One permission string (`resource:action`).
    public static let permission = Permission.maxLength
    public static let permissionsPerRole = 200
    public static let serviceClientName = 100
    public static let personalTokenName = 100
    /// A TOTP code or a recovery code as typed (spaces and dashes allowed).
    public static let mfaCode = 64
    public static let mfaToken = 128
    /// The token of a mailed link (43 characters as issued).
    public static let mailedToken = 128
    /// Permissions on one personal access token.
    public static let permissionsPerToken = 200
    public static let refreshToken = 4096
    /// The token presented to `/auth/verify`.
    public static let introspectedToken = 16_384
    /// Strings inside arrays that have no limit of their own.
    public static let arrayItem = 200
}
