/// Who the caller is, as the verifier established it.
public struct VerifiedToken: Sendable, Equatable {
    public var subject: String
    public var email: String
    public var roles: [String]
    public var permissions: [String]
    public var sessionID: String
    public var expiresAt: Int
    /// `.remote` when authd answered just now (revocations seen); `.local` when checked against the JWKS
    /// (a revoked session stays valid until the token expires).
    public var source: Source

    public enum Source: Sendable, Equatable { case local, remote }

    public init(
        subject: String,
        email: String,
        roles: [String],
        permissions: [String],
        sessionID: String,
        expiresAt: Int,
        source: Source
    ) {
        self.subject = subject
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.sessionID = sessionID
        self.expiresAt = expiresAt
        self.source = source
    }

    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }
    public func hasAll(_ permissions: [String]) -> Bool { Permission.grantsAll(self.permissions, permissions) }
}
