import AuthShared
import Foundation

/// The caller of an authenticated request, with roles and permissions from current data.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    public var sessionID: UUID
    public var email: String
    public var roles: [String]
    public var permissions: [String]
    public var claims: AccessTokenClaims
    public init(
        userID: UUID,
        sessionID: UUID,
        email: String,
        roles: [String],
        permissions: [String],
        claims: AccessTokenClaims
    ) {
        self.userID = userID
        self.sessionID = sessionID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.claims = claims
    }

    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }
}
