/// `/auth/verify`: anything that is not a live access token of an active user is simply inactive.
public struct IntrospectionService: Sendable {
    private let authenticator: SessionAuthenticator

    public init(authenticator: SessionAuthenticator) { self.authenticator = authenticator }

    public func introspect(token: String, requiredPermissions: [String]) async throws -> Introspection {
        let principal: Principal
        do {
            principal = try await authenticator.authenticate(accessToken: token)
        } catch let error as AuthError where error == .invalidToken {
            return .inactive
        }
        return Introspection(
            active: true,
            claims: principal.claims,
            email: principal.email,
            roles: principal.roles,
            permissions: principal.permissions,
            allowed: Permission.grantsAll(principal.permissions, requiredPermissions)
        )
    }
}
