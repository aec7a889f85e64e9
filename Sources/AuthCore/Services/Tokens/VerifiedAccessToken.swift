import AuthShared
import Crypto
import Foundation

/// What a request needs from an access token whose signature and claims checked out: whose it is, which session,
/// and when it stops. The rest of the claims (email, roles, permissions) are not trusted for authorization: the
/// session's current state is. Small on purpose: `AccessTokenService` keeps one per token it has verified.
public struct VerifiedAccessToken: Sendable, Equatable {
    public var userID: UUID
    public var sessionID: UUID
    public var issuedAt: Int
    public var expiresAt: Int
    /// `nbf`, or `iat` when the token has none.
    public var notBefore: Int

    init?(_ claims: AccessTokenClaims) {
        guard let user = UUID(parsing: claims.sub), let session = UUID(parsing: claims.sid) else { return nil }
        userID = user
        sessionID = session
        issuedAt = claims.iat
        expiresAt = claims.exp
        notBefore = claims.nbf ?? claims.iat
    }

    /// Still within its lifetime, as `AccessTokenClaims.isValid` has it (issuer and audience were checked once).
    func isCurrent(at now: Date) -> Bool {
        let t = now.timeIntervalSince1970
        return TimeInterval(expiresAt) > t && TimeInterval(notBefore) <= t + 5
    }
}

/// The SHA-256 of a token: the key of the verified-token cache (32 bytes, where the token itself is 500 or more).
struct TokenDigest: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ token: String) {
        var token = token
        let digest = token.withUTF8 { SHA256.hash(data: $0) }
        var words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &words) { target in
            digest.withUnsafeBytes { source in target.copyMemory(from: source) }
        }
        (a, b, c, d) = words
    }
}
