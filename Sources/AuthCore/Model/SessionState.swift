import Foundation

/// What an authenticated request needs to know about its session, read fresh (or from a short cache).
public struct SessionState: Sendable, Equatable {
    public var session: Session
    public var userID: UUID
    public var email: String
    public var userActive: Bool
    public var roles: [String]
    public var permissions: [String]
    public init(session: Session, userID: UUID, email: String, userActive: Bool, roles: [String], permissions: [String])
    {
        self.session = session
        self.userID = userID
        self.email = email
        self.userActive = userActive
        self.roles = roles
        self.permissions = permissions
    }
}
