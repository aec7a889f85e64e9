import Foundation

/// Who asked, as far as the HTTP layer could tell; recorded in audit events and sessions.
public struct RequestMeta: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    public init(ip: String? = nil, userAgent: String? = nil, requestID: String? = nil) {
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(512)) }
        self.requestID = requestID
    }
}

/// The caller of an authenticated request, with roles and permissions from current data.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    public var sessionID: UUID
    public var email: String
    public var roles: [String]
    public var permissions: [String]
    public var claims: AccessTokenClaims
    public init(userID: UUID, sessionID: UUID, email: String, roles: [String], permissions: [String], claims: AccessTokenClaims) {
        self.userID = userID
        self.sessionID = sessionID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.claims = claims
    }

    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }
}

/// What login and refresh hand back.
public struct TokenPair: Sendable {
    public var accessToken: String
    public var expiresIn: Int
    public var refreshToken: String
    public var refreshExpiresIn: Int
    public var user: UserWithPermissions
    public var sessionID: UUID
    public init(accessToken: String, expiresIn: Int, refreshToken: String, refreshExpiresIn: Int, user: UserWithPermissions, sessionID: UUID) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshExpiresIn = refreshExpiresIn
        self.user = user
        self.sessionID = sessionID
    }
}
