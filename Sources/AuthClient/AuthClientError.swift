/// Why a token was not accepted. Only `.unavailable` is worth retrying.
public enum AuthClientError: Error, Sendable, Equatable {
    /// Missing, malformed, forged, expired, revoked (remote verification only), or from another issuer.
    case invalidToken
    /// authd (its JWKS or /auth/verify) could not be reached or answered unexpectedly.
    case unavailable(String)
    /// The service client credentials were refused by /auth/verify.
    case invalidClientCredentials
}
