import AuthCore
import Foundation

/// The rows of every table, as `InMemoryAuthStore` keeps them. Relations and cascades follow the SQL schema:
/// deleting a user deletes its role memberships and sessions, deleting a session its refresh tokens, deleting a
/// role its memberships; audit events keep the ids of users that are gone.
struct InMemoryState: Sendable {
    /// Users with `roles` left empty: memberships live in `userRoles`.
    var users: [UUID: User] = [:]
    /// Lower-cased email to user id.
    var userIDsByEmail: [String: UUID] = [:]
    var userRoles: [UUID: Set<String>] = [:]
    var roles: [String: Role] = [:]
    var sessions: [UUID: Session] = [:]
    var refreshTokens: [UUID: StoredRefreshToken] = [:]
    var refreshTokenIDsByHash: [String: UUID] = [:]
    var auditEvents: [UUID: AuditEvent] = [:]
    var serviceClients: [UUID: ServiceClient] = [:]
    var signingKeys: [String: SigningKeyRecord] = [:]
    var loginThrottle: [String: LoginThrottleState] = [:]
    var personalTokens: [UUID: PersonalAccessToken] = [:]
    var personalTokenIDsByHash: [String: UUID] = [:]
    var totp: [UUID: TOTPEnrolment] = [:]
    /// User id to code hash to when it was used (nil: unused).
    var recoveryCodes: [UUID: [String: Date?]] = [:]
    var challenges: [UUID: MFAChallenge] = [:]
    var challengeIDsByHash: [String: UUID] = [:]
    var emailTokens: [UUID: StoredEmailToken] = [:]
    /// Outbox rows with their claim leases.
    var outbox: [UUID: OutboxMail] = [:]
    var outboxLeases: [UUID: Date] = [:]
    var serverSecrets: [String: String] = [:]
    /// What `announce` was given, in order: committed with the transaction, or dropped with it.
    var announcements: [CacheInvalidation] = []

    struct StoredEmailToken: Sendable {
        var token: EmailToken
        var tokenHash: String
        var codeHash: String
    }

    struct StoredRefreshToken: Sendable {
        var id: UUID
        var sessionID: UUID
        var hash: String
        var createdAt: Date
        var rotatedAt: Date?
        var replacedBy: UUID?
    }

    /// Applies `body` to a copy and keeps the copy only when it returns: a statement changes all or nothing.
    static func apply<T>(_ body: (inout InMemoryState) throws -> T, to state: inout InMemoryState) throws -> T {
        var copy = state
        let result = try body(&copy)
        state = copy
        return result
    }

    // MARK: Reading

    /// The user with its role names, sorted.
    func user(id: UUID) -> User? {
        guard var user = users[id] else { return nil }
        user.roles = roleNames(of: id)
        return user
    }

    func roleNames(of userID: UUID) -> [String] {
        (userRoles[userID] ?? []).sorted()
    }

    func permissions(of userID: UUID) -> [String] {
        Permission.union(roleNames(of: userID).compactMap { roles[$0]?.permissions })
    }

    /// The permissions of the user's roles that need (`stepUp`) or do not need a second factor.
    func permissions(of userID: UUID, stepUp: Bool) -> [String] {
        Permission.union(
            roleNames(of: userID).compactMap { roles[$0] }.filter { $0.requiresMFA == stepUp }.map(\.permissions)
        )
    }

    /// As the SQL store returns it: permissions sorted.
    func role(named name: String) -> Role? {
        guard var role = roles[name] else { return nil }
        role.permissions.sort()
        return role
    }

    static func emailKey(_ email: String) -> String { email.lowercased() }

    // MARK: Cascades

    mutating func deleteUser(id: UUID) {
        guard let user = users.removeValue(forKey: id) else { return }
        if userIDsByEmail[Self.emailKey(user.email)] == id { userIDsByEmail[Self.emailKey(user.email)] = nil }
        userRoles[id] = nil
        for session in sessions.values where session.userID == id { deleteSession(id: session.id) }
        for token in personalTokens.values where token.userID == id { deletePersonalToken(id: token.id) }
        totp[id] = nil
        recoveryCodes[id] = nil
        for stored in emailTokens.values where stored.token.userID == id { emailTokens[stored.token.id] = nil }
        for challenge in challenges.values where challenge.userID == id {
            challenges[challenge.id] = nil
            challengeIDsByHash = challengeIDsByHash.filter { $0.value != challenge.id }
        }
    }

    mutating func deletePersonalToken(id: UUID) {
        guard personalTokens.removeValue(forKey: id) != nil else { return }
        personalTokenIDsByHash = personalTokenIDsByHash.filter { $0.value != id }
    }

    mutating func deleteSession(id: UUID) {
        guard sessions.removeValue(forKey: id) != nil else { return }
        for token in refreshTokens.values where token.sessionID == id {
            refreshTokens[token.id] = nil
            refreshTokenIDsByHash[token.hash] = nil
        }
    }

    mutating func insertRefreshToken(sessionID: UUID, hash: String, at: Date, id: UUID = UUID()) throws -> UUID {
        guard sessions[sessionID] != nil else { throw InMemoryStoreError.missingReference("refresh_tokens.session_id") }
        guard refreshTokenIDsByHash[hash] == nil else {
            throw InMemoryStoreError.duplicateKey("refresh_tokens.token_hash")
        }
        refreshTokens[id] = StoredRefreshToken(id: id, sessionID: sessionID, hash: hash, createdAt: at)
        refreshTokenIDsByHash[hash] = id
        return id
    }
}

/// The order PostgreSQL and SQLite give UUIDs (their bytes, which is also the order of their hex strings).
func uuidPrecedes(_ a: UUID, _ b: UUID) -> Bool { a.uuidString < b.uuidString }

/// `Array.dropFirst(offset).prefix(limit)` with the page arithmetic of the SQL store's LIMIT and OFFSET.
func pageItems<Item>(_ items: [Item], page: Int, perPage: Int) -> [Item] {
    Array(items.dropFirst(max(0, (page - 1) * perPage)).prefix(max(0, perPage)))
}
