/// Checks access tokens issued by authd and returns their claims.
public protocol TokenVerifier: Sendable {
    func verify(_ token: String) async throws -> VerifiedToken
}
