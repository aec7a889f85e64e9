/// Who the caller is, as the verifier established it.
public struct VerifiedToken: Sendable, Equatable {
    public var subject: String
    public var email: String
    public var roles: [String]
    public var permissions: [String]
    /// The session behind an access token; empty for a personal access token.
    public var sessionID: String
    /// Unix seconds; `Int.max` for a personal access token that never expires.
    public var expiresAt: Int
    /// `.remote` when authd answered just now (revocations seen); `.local` when checked against the JWKS
    /// (a revoked session stays valid until the token expires).
    public var source: Source
    /// `Bearer` for an access token, `pat` for a personal access token (verified by authd, never locally).
    public var tokenType: String
    /// Authenticator assurance level of the session: 2 when the login passed a second factor, else 1 (tokens from
    /// authd versions without MFA, and personal access tokens, are 1).
    public var aal: Int
    /// How the session authenticated (RFC 8176), `["pwd"]` or `["pwd", "otp"]`; empty when not known.
    public var amr: [String]

    public static let personalAccessTokenType = "pat"
    public var isPersonalAccessToken: Bool { tokenType == Self.personalAccessTokenType }

    public enum Source: Sendable, Equatable { case local, remote }

    public init(
        subject: String,
        email: String,
        roles: [String],
        permissions: [String],
        sessionID: String,
        expiresAt: Int,
        source: Source,
        tokenType: String = "Bearer",
        aal: Int = 1,
        amr: [String] = []
    ) {
        self.subject = subject
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.sessionID = sessionID
        self.expiresAt = expiresAt
        self.source = source
        self.tokenType = tokenType
        self.aal = aal
        self.amr = amr
    }

    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }
    public func hasAll(_ permissions: [String]) -> Bool { Permission.grantsAll(self.permissions, permissions) }
}
