import Foundation

public struct UserProfile: Sendable, Equatable {
    public var displayName: String?
    public var givenName: String?
    public var familyName: String?
    public var locale: String?
    public var timezone: String?
    public var avatarURL: String?
    public init(displayName: String? = nil, givenName: String? = nil, familyName: String? = nil,
                locale: String? = nil, timezone: String? = nil, avatarURL: String? = nil) {
        self.displayName = displayName
        self.givenName = givenName
        self.familyName = familyName
        self.locale = locale
        self.timezone = timezone
        self.avatarURL = avatarURL
    }
}

public struct User: Sendable, Equatable {
    public var id: UUID
    /// Trimmed and lower-cased; unique.
    public var email: String
    public var passwordHash: String
    public var profile: UserProfile
    public var isActive: Bool
    public var isVerified: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var lastLoginAt: Date?
    /// Role names, sorted.
    public var roles: [String]

    public init(id: UUID = UUID(), email: String, passwordHash: String, profile: UserProfile = UserProfile(),
                isActive: Bool = true, isVerified: Bool = false, createdAt: Date, updatedAt: Date,
                lastLoginAt: Date? = nil, roles: [String] = []) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.profile = profile
        self.isActive = isActive
        self.isVerified = isVerified
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastLoginAt = lastLoginAt
        self.roles = roles
    }
}

/// A user together with the permissions its roles grant now.
public struct UserWithPermissions: Sendable, Equatable {
    public var user: User
    public var permissions: [String]
    public init(user: User, permissions: [String]) {
        self.user = user
        self.permissions = permissions
    }
}

public struct Role: Sendable, Equatable {
    public var name: String
    public var description: String
    public var permissions: [String]
    public var isSystem: Bool
    public init(name: String, description: String, permissions: [String], isSystem: Bool = false) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.isSystem = isSystem
    }

    public static let admin = Role(name: "admin", description: "Full access", permissions: ["*"], isSystem: true)
    public static let user = Role(name: "user", description: "A registered user", permissions: [], isSystem: true)
    public static let seeded: [Role] = [.admin, .user]
}

public struct Session: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var createdAt: Date
    public var lastUsedAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var revokeReason: String?
    public var ip: String?
    public var userAgent: String?

    public init(id: UUID = UUID(), userID: UUID, createdAt: Date, lastUsedAt: Date, expiresAt: Date,
                revokedAt: Date? = nil, revokeReason: String? = nil, ip: String? = nil, userAgent: String? = nil) {
        self.id = id
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokeReason = revokeReason
        self.ip = ip
        self.userAgent = userAgent
    }

    /// Live: not revoked, not past its absolute lifetime, not idle too long.
    public func isActive(at now: Date, idleTimeout: TimeInterval) -> Bool {
        !hasEnded(at: now) && lastUsedAt.addingTimeInterval(idleTimeout) > now
    }

    /// Revoked or past its absolute expiry: final, unlike idleness (a refresh elsewhere resets that).
    public func hasEnded(at now: Date) -> Bool { revokedAt != nil || expiresAt <= now }
}

/// One refresh token of a session's rotation chain (the token itself is never stored).
public struct RefreshTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var sessionID: UUID
    public var createdAt: Date
    /// Set when the token was exchanged for its successor.
    public var rotatedAt: Date?
    public var replacedBy: UUID?
    /// Whether the successor is still the session's unused, current token.
    public var successorUnused: Bool
    public init(id: UUID, sessionID: UUID, createdAt: Date, rotatedAt: Date?, replacedBy: UUID?, successorUnused: Bool) {
        self.id = id
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
        self.replacedBy = replacedBy
        self.successorUnused = successorUnused
    }
}

/// What an authenticated request needs to know about its session, read fresh (or from a short cache).
public struct SessionState: Sendable, Equatable {
    public var session: Session
    public var userID: UUID
    public var email: String
    public var userActive: Bool
    public var roles: [String]
    public var permissions: [String]
    public init(session: Session, userID: UUID, email: String, userActive: Bool, roles: [String], permissions: [String]) {
        self.session = session
        self.userID = userID
        self.email = email
        self.userActive = userActive
        self.roles = roles
        self.permissions = permissions
    }
}

public struct AuditEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable { case success, failure }
    public var id: UUID
    public var occurredAt: Date
    public var action: String
    public var outcome: Outcome
    public var actorID: UUID?
    public var userID: UUID?
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?
    public var details: [String: String]
    public init(id: UUID = UUID(), occurredAt: Date, action: String, outcome: Outcome, actorID: UUID? = nil, userID: UUID? = nil,
                ip: String? = nil, userAgent: String? = nil, requestID: String? = nil, details: [String: String] = [:]) {
        self.id = id
        self.occurredAt = occurredAt
        self.action = action
        self.outcome = outcome
        self.actorID = actorID
        self.userID = userID
        self.ip = ip
        self.userAgent = userAgent
        self.requestID = requestID
        self.details = details
    }
}

public struct ServiceClient: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var clientID: String
    public var secretHash: String
    public var createdAt: Date
    public init(id: UUID = UUID(), name: String, clientID: String, secretHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.clientID = clientID
        self.secretHash = secretHash
        self.createdAt = createdAt
    }
}

/// A key that signs access tokens. `privateKey` is PEM (or the HMAC secret's absence: HS256 keys live in configuration).
public struct SigningKeyRecord: Sendable, Equatable {
    public var kid: String
    public var algorithm: String
    public var privateKeyPEM: String
    public var createdAt: Date
    public init(kid: String, algorithm: String, privateKeyPEM: String, createdAt: Date) {
        self.kid = kid
        self.algorithm = algorithm
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
    }
}

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int
    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }
}

public struct UserQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case createdAt = "created_at", createdAtDesc = "-created_at"
        case email = "email", emailDesc = "-email"
        case lastLoginAt = "last_login_at", lastLoginAtDesc = "-last_login_at"
    }
    public var page = 1
    public var perPage = 20
    public var search: String?
    public var role: String?
    public var isActive: Bool?
    public var isVerified: Bool?
    public var createdAfter: Date?
    public var createdBefore: Date?
    public var sort: Sort = .createdAt
    public init() {}
}

public struct AuditQuery: Sendable, Equatable {
    public var page = 1
    public var perPage = 20
    public var userID: UUID?
    public var action: String?
    public var outcome: AuditEvent.Outcome?
    public var since: Date?
    public var until: Date?
    public init() {}
}

/// Per-email login failure bookkeeping (the key is a hash of the normalised email).
public struct LoginThrottleState: Sendable, Equatable {
    public var failures: Int
    public var windowStartedAt: Date
    public var hourFailures: Int
    public var hourStartedAt: Date
    public var lockedUntil: Date?
    public init(failures: Int, windowStartedAt: Date, hourFailures: Int, hourStartedAt: Date, lockedUntil: Date?) {
        self.failures = failures
        self.windowStartedAt = windowStartedAt
        self.hourFailures = hourFailures
        self.hourStartedAt = hourStartedAt
        self.lockedUntil = lockedUntil
    }
}
