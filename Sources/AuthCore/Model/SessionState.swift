import AuthShared
import Foundation

/// What an authenticated request needs to know about its session, read fresh (or from a short cache).
public struct SessionState: Sendable, Equatable {
    public var session: Session
    public var userID: UUID
    public var email: String
    public var userActive: Bool
    public var roles: [String]
    /// From the roles that need no second factor.
    public var permissions: [String]
    /// From the roles marked `requires_mfa`: they count only when the session is at aal 2.
    public var stepUpPermissions: [String]
    public init(
        session: Session,
        userID: UUID,
        email: String,
        userActive: Bool,
        roles: [String],
        permissions: [String],
        stepUpPermissions: [String] = []
    ) {
        self.session = session
        self.userID = userID
        self.email = email
        self.userActive = userActive
        self.roles = roles
        self.permissions = permissions
        self.stepUpPermissions = stepUpPermissions
    }

    /// What the session may do: step-up permissions only at aal 2.
    public var effectivePermissions: [String] {
        session.aal >= 2 && !stepUpPermissions.isEmpty
            ? Permission.union([permissions, stepUpPermissions]) : permissions
    }
}
