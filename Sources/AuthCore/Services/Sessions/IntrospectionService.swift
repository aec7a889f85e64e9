import AuthShared
import Foundation

/// `/auth/verify`: anything that is not a live access token or personal access token of an active user is simply
/// inactive.
public struct IntrospectionService: Sendable {
    private let authenticator: SessionAuthenticator
    private let personalTokens: PersonalAccessTokenService
    private let issuer: String
    private let audience: String

    public init(
        authenticator: SessionAuthenticator,
        personalTokens: PersonalAccessTokenService,
        issuer: String,
        audience: String
    ) {
        self.authenticator = authenticator
        self.personalTokens = personalTokens
        self.issuer = issuer
        self.audience = audience
    }

    /// `requiredAAL`: `allowed` is false unless the session's assurance level is at least this.
    public func introspect(
        token: String,
        requiredPermissions: [String],
        requiredAAL: Int = 1,
        meta: RequestMeta
    ) async throws -> Introspection {
        let isPersonalToken = PersonalTokenFormat.looksLikeToken(token)
        let principal: Principal
        do {
            principal =
                isPersonalToken
                ? try await personalTokens.authenticate(token, meta: meta)
                : try await authenticator.authenticate(accessToken: token)
        } catch let error as AuthError where error == .invalidToken {
            return .inactive
        }
        var answer = Introspection(active: true)
        answer.tokenType = isPersonalToken ? "pat" : "Bearer"
        answer.subject = principal.userID.uuidString.lowercased()
        answer.sessionID = principal.sessionID?.uuidString.lowercased()
        answer.email = principal.email
        answer.roles = principal.roles
        answer.permissions = principal.permissions
        answer.expiresAt = principal.expiresAt
        answer.issuedAt = principal.issuedAt
        // An access token was accepted only with this issuer and audience; a personal access token is ours too.
        answer.issuer = issuer
        answer.audience = audience
        answer.aal = principal.aal
        answer.amr = principal.amr
        answer.allowed =
            principal.aal >= requiredAAL && Permission.grantsAll(principal.permissions, requiredPermissions)
        return answer
    }
}
