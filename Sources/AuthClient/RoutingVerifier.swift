/// Access tokens checked locally against the JWKS, personal access tokens (`authd_pat_…`, which are opaque) asked of
/// authd: the usual set-up of a service that takes both.
public struct RoutingVerifier: TokenVerifier {
    public let local: any TokenVerifier
    public let remote: any TokenVerifier

    public init(local: any TokenVerifier, remote: any TokenVerifier) {
        self.local = local
        self.remote = remote
    }

    public func verify(_ token: String) async throws -> VerifiedToken {
        if token.hasPrefix("authd_pat_") { return try await remote.verify(token) }
        return try await local.verify(token)
    }
}
