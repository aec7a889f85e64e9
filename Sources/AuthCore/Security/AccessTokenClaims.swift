import Foundation
import JWTKit

/// The claims of an access token. Time claims are Unix seconds.
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

    public init(iss: String, aud: String, sub: String, exp: Int, iat: Int, nbf: Int?, jti: String, sid: String,
                email: String, roles: [String], permissions: [String]) {
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
    }

    /// Claims are checked by `AccessTokenService` against its own clock, right after the signature.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The JOSE header fields we look at before trusting anything else.
struct JOSEHeader: Decodable {
    var alg: String?
    var kid: String?
    var typ: String?
    var crit: [String]?
}
