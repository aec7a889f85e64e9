import AuthShared
import Foundation

/// The caller of an authenticated request, with roles and permissions from current data. It signed in with a session
/// (an access token) or presented a personal access token; the two never both.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    /// The session behind the access token; nil for a personal access token.
    public var sessionID: UUID?
    /// The personal access token presented; nil for a session.
    public var personalTokenID: UUID?
    public var email: String
    public var roles: [String]
    /// Effective permissions: the user's, or for a personal access token its list intersected with the user's.
    public var permissions: [String]
    /// When the credential stops working (seconds since 1970); nil for a personal access token that never expires.
    public var expiresAt: Int?
    /// When the credential was issued (seconds since 1970).
    public var issuedAt: Int
    /// The session's assurance level (1 or 2); 1 for a personal access token.
    public var aal: Int = 1
    /// How the session's user authenticated (RFC 8176); empty for a personal access token.
    public var amr: [String] = []

    public init(
        userID: UUID,
        sessionID: UUID,
        email: String,
        roles: [String],
        permissions: [String],
        token: VerifiedAccessToken,
        aal: Int = 1,
        amr: [String] = ["pwd"]
    ) {
        self.userID = userID
        self.sessionID = sessionID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.expiresAt = token.expiresAt
        self.issuedAt = token.issuedAt
        self.aal = aal
        self.amr = amr
    }

    public init(
        userID: UUID,
        personalTokenID: UUID,
        email: String,
        roles: [String],
        permissions: [String],
        expiresAt: Int?,
        issuedAt: Int
    ) {
        self.userID = userID
        self.personalTokenID = personalTokenID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }

    /// The actor of the `authd` operator commands (`authd users ...`): every permission, no session, no account of
    /// its own. The services apply their rules to it as to an administrator holding `*` (the last super-admin stays,
    /// for one); its audit events have no actor id, and name the command line and the operating-system user in their
    /// details (`RequestMeta.osUser`).
    public static func commandLine(issuedAt: Int) -> Principal {
        var principal = Principal(
            userID: commandLineID,
            personalTokenID: commandLineID,
            email: "cli",
            roles: [],
            permissions: ["*"],
            expiresAt: nil,
            issuedAt: issuedAt
        )
        principal.personalTokenID = nil
        return principal
    }

    /// The user id of `commandLine`: the nil UUID, which no account has. `AuditLog` records it as no actor.
    public static let commandLineID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public func has(_ permission: String) -> Bool { Permission.grants(permissions, permission) }

    /// The session, for what only a signed-in session may do (change credentials, mint tokens, log out).
    public func requireSession() throws -> UUID {
        guard let sessionID else { throw AuthError.sessionRequired }
        return sessionID
    }
}
