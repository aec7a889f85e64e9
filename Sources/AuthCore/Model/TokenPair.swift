import Foundation

/// What login and refresh hand back.
public struct TokenPair: Sendable {
    public var accessToken: String
    public var expiresIn: Int
    public var refreshToken: String
    public var refreshExpiresIn: Int
    public var user: UserWithPermissions
    public var sessionID: UUID
    public init(
        accessToken: String,
        expiresIn: Int,
        refreshToken: String,
        refreshExpiresIn: Int,
        user: UserWithPermissions,
        sessionID: UUID
    ) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshExpiresIn = refreshExpiresIn
        self.user = user
        self.sessionID = sessionID
    }
}
