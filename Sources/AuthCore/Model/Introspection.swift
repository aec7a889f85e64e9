import AuthShared

/// RFC 7662 shaped answers for `/auth/verify`.
public struct Introspection: Sendable, Equatable {
    public var active: Bool
    public var claims: AccessTokenClaims?
    /// The user's email now (it may have changed since the token was issued).
    public var email: String = ""
    public var roles: [String]
    public var permissions: [String]
    public var allowed: Bool
    public static let inactive = Introspection(active: false, claims: nil, roles: [], permissions: [], allowed: false)
}
