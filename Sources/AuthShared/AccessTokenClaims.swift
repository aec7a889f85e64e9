import Foundation
import JWTKit

/// The claims of an authd access token. Time claims are Unix seconds.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var aud: String
    public var sub: String
    public var exp: Int
    public var iat: Int
    public var nbf: Int?
    public var jti: String
    public var sid: String
    public var email: String
    public var roles: [String]
    public var permissions: [String]
    /// Authenticator assurance level of the session: 1 (password) or 2 (a second factor). Absent in tokens of
    /// earlier versions, which are aal 1.
    public var aal: Int?
    /// Authentication methods (RFC 8176): `["pwd"]` or `["pwd", "otp"]`.
    public var amr: [String]?

    public init(
        iss: String,
        aud: String,
        sub: String,
        exp: Int,
        iat: Int,
        nbf: Int?,
        jti: String,
        sid: String,
        email: String,
        roles: [String],
        permissions: [String],
        aal: Int? = nil,
        amr: [String]? = nil
    ) {
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.jti = jti
        self.sid = sid
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.aal = aal
        self.amr = amr
    }

    /// Claims are checked by the verifier against its own clock, right after the signature: see `validate`.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Whether the claims hold at `now` for this issuer and audience (`exp`, `nbf`, with 5 s of skew for `nbf`).
    public func isValid(issuer: String, audience: String, now: Date) -> Bool {
        let t = now.timeIntervalSince1970
        return iss == issuer && aud == audience && TimeInterval(exp) > t && TimeInterval(nbf ?? iat) <= t + 5
            && UUID(parsing: sub) != nil && UUID(parsing: sid) != nil
    }

    /// Whether the token's permissions cover `permission` (wildcards included).
    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }
}
