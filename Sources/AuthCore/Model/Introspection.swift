import AuthShared

/// RFC 7662 shaped answers for `/auth/verify`.
public struct Introspection: Sendable, Equatable {
    public var active: Bool
    /// `Bearer` for an access token, `pat` for a personal access token.
    public var tokenType: String = "Bearer"
    public var subject: String = ""
    /// The session of an access token; nil for a personal access token.
    public var sessionID: String?
    /// The user's email now (it may have changed since the token was issued).
    public var email: String = ""
    public var roles: [String] = []
    public var permissions: [String] = []
    /// nil for a personal access token that never expires.
    public var expiresAt: Int?
    public var issuedAt: Int = 0
    public var issuer: String = ""
    public var audience: String = ""
    public var allowed: Bool = false
    public var aal: Int = 1
    public var amr: [String] = []

    public init(active: Bool) { self.active = active }

    public static let inactive = Introspection(active: false)
}
