import Foundation

/// Persistence as the domain sees it. One implementation sits on FluentKit (SQLite or PostgreSQL).
public protocol AuthStore: Sendable {
    var users: any UserRepository { get }
    var roles: any RoleRepository { get }
    var sessions: any SessionRepository { get }
    var audit: any AuditRepository { get }
    var serviceClients: any ServiceClientRepository { get }
    var signingKeys: any SigningKeyRepository { get }
    var loginThrottle: any LoginThrottleRepository { get }
    var personalTokens: any PersonalAccessTokenRepository { get }
    var mfa: any MFARepository { get }
    var emailTokens: any EmailTokenRepository { get }
    var outbox: any MailOutboxRepository { get }
    var serverSecrets: any ServerSecretRepository { get }
    /// Runs `body` in one database transaction; everything it does through the store it is given commits or rolls back together.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any AuthStore) async throws -> T) async throws -> T
    /// Answers when the database does.
    func ping() async throws
    /// Tells the other instances sharing the database to forget `invalidation`, as part of the current transaction:
    /// PostgreSQL delivers a NOTIFY at commit and drops it on rollback, so no instance hears of a change that did not
    /// happen, and none misses one that did (a crash between the commit and a separate send cannot happen). Call it
    /// inside the transaction that makes the change; a no-op where no other instance can listen (SQLite).
    func announce(_ invalidation: CacheInvalidation) async throws
}

public protocol UserRepository: Sendable {
    /// Inserts the user with its roles. Throws `AuthError.emailTaken` when the email exists in any case.
    func create(_ user: User) async throws
    func find(id: UUID) async throws -> User?
    func find(email: String) async throws -> User?
    /// Writes the columns `changes` names, and only those. Throws `AuthError.emailTaken`.
    func update(_ id: UUID, _ changes: UserChanges) async throws
    func updatePasswordHash(userID: UUID, hash: String, at: Date) async throws
    /// Replaces the hash only while it is still `expected` (a rehash at login must not undo a password change that
    /// landed meanwhile). Whether it was replaced.
    func replacePasswordHash(userID: UUID, expected: String, with hash: String) async throws -> Bool
    func setRoles(userID: UUID, roles: [String]) async throws
    func delete(id: UUID) async throws -> Bool
    func recordLogin(userID: UUID, at: Date) async throws
    func list(_ query: UserQuery) async throws -> Page<User>
    /// Ids of the active users whose roles grant `*`.
    func superAdminIDs() async throws -> [UUID]
    /// Inside a transaction: waits for, then holds until the end of it, the one lock that every change able to remove
    /// a holder of `*` takes, so two such changes cannot both pass the last-admin check (a row lock or an advisory
    /// lock, not a plain SELECT, which lets them race under READ COMMITTED).
    func lockSuperAdminChanges() async throws
    /// Every permission the user's roles grant (what the delegation rule compares against).
    func permissions(userID: UUID) async throws -> [String]
    /// What a session at assurance `aal` may use: the permissions of roles marked `requires_mfa` only at aal 2.
    func permissions(userID: UUID, assurance aal: Int) async throws -> [String]
}

public protocol RoleRepository: Sendable {
    func all() async throws -> [Role]
    func find(name: String) async throws -> Role?
    /// Throws `AuthError.roleExists`.
    func create(_ role: Role) async throws
    func update(_ role: Role) async throws
    func delete(name: String) async throws -> Bool
    /// Inserts the roles that do not exist yet; safe to run from several instances at once.
    func seed(_ roles: [Role]) async throws
    /// Ids of the users holding the role.
    func members(of name: String) async throws -> [UUID]
}

public protocol MFARepository: Sendable {
    func totp(userID: UUID) async throws -> TOTPEnrolment?
    /// Every enrolment, pending or confirmed (for re-encryption under a new key).
    func allTOTP() async throws -> [TOTPEnrolment]
    /// Replaces the stored secret (re-encrypted); the secret itself is unchanged.
    func replaceTOTPSecret(userID: UUID, with secret: String) async throws
    /// Replaces the user's enrolment (a new, pending secret replaces a pending or confirmed one).
    func saveTOTP(_ enrolment: TOTPEnrolment) async throws
    /// Confirms a pending enrolment and records `step` as used; false when there is none pending.
    func confirmTOTP(userID: UUID, at: Date, step: Int64) async throws -> Bool
    /// Records `step` as used unless it, or a later one, already was: of two concurrent uses of one code, one wins.
    func useTOTPStep(userID: UUID, step: Int64) async throws -> Bool
    /// Deletes the enrolment and the recovery codes; false when there was no enrolment.
    func deleteTOTP(userID: UUID) async throws -> Bool
    /// Replaces every recovery code of the user.
    func replaceRecoveryCodes(userID: UUID, hashes: [String], at: Date) async throws
    /// Marks the unused code with this hash as used; false when there is none (of two concurrent uses, one wins).
    func useRecoveryCode(userID: UUID, hash: String, at: Date) async throws -> Bool
    func unusedRecoveryCodes(userID: UUID) async throws -> Int
    func createChallenge(_ challenge: MFAChallenge, hash: String) async throws
    /// Counts a try against the live challenge with this hash (not used, not expired, tries left) and returns it;
    /// nil when there is no such challenge.
    func countChallengeTry(hash: String, now: Date) async throws -> MFAChallenge?
    /// Marks the challenge used; false when it already was (single use).
    func consumeChallenge(id: UUID, at: Date) async throws -> Bool
    func deleteEndedChallenges(before: Date) async throws -> Int
}

public protocol PersonalAccessTokenRepository: Sendable {
    func create(_ token: PersonalAccessToken, hash: String) async throws
    /// The user's tokens that are not revoked (expired ones included), newest first.
    func list(userID: UUID) async throws -> [PersonalAccessToken]
    /// Inside a transaction: holds the user's row until the end of it, so two creations cannot both pass the
    /// per-user count (a row lock on PostgreSQL; SQLite runs one transaction at a time).
    func lockOwner(userID: UUID) async throws
    /// How many of the user's tokens are neither revoked nor expired at `now`.
    func countUsable(userID: UUID, at now: Date) async throws -> Int
    func find(id: UUID) async throws -> PersonalAccessToken?
    /// The token with this secret hash, its user and the user's current roles and permissions, in one lookup.
    func state(hash: String) async throws -> PersonalTokenState?
    /// Marks the token revoked; false when it was already revoked or does not exist.
    func revoke(id: UUID, at: Date) async throws -> Bool
    /// Records a use, unless one was recorded after `notBefore` (so a busy token is written at most once a minute,
    /// across instances).
    func recordUse(id: UUID, at: Date, ip: String?, unlessUsedAfter notBefore: Date) async throws
    /// Deletes tokens that expired or were revoked before `before`.
    func deleteEnded(before: Date) async throws -> Int
}

public protocol SessionRepository: Sendable {
    func create(_ session: Session, refreshTokenHash: String) async throws
    func find(id: UUID) async throws -> Session?
    func list(userID: UUID, activeAt now: Date, idleTimeout: TimeInterval) async throws -> [Session]
    /// Marks the session revoked; false when it was not live.
    func revoke(id: UUID, reason: String, at: Date) async throws -> Bool
    /// Revokes every live session of the user but `except`; returns the revoked ids.
    func revokeAll(userID: UUID, except: UUID?, reason: String, at: Date) async throws -> [UUID]
    /// Atomically marks the current token with this hash as rotated, replaced by `successor` (hashed
    /// `successorHash`), which it adds, and records the session's use: one statement where the database allows.
    /// Nil when no unrotated token has the hash: of two concurrent callers, at most one rotates.
    func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: UUID,
        successorHash: String
    ) async throws
        -> RefreshTokenRotation?
    func findRefreshToken(hash: String) async throws -> RefreshTokenRecord?
    /// Session, user and current roles and permissions, in one lookup.
    func state(sessionID: UUID) async throws -> SessionState?
    func deleteExpired(before: Date) async throws -> Int
    /// Live sessions of every user (the console's dashboard).
    func countLive(at now: Date, idleTimeout: TimeInterval) async throws -> Int
}

public protocol AuditRepository: Sendable {
    func record(_ event: AuditEvent) async throws
    func list(_ query: AuditQuery) async throws -> Page<AuditEvent>
    func prune(before: Date) async throws -> Int
}

public protocol ServiceClientRepository: Sendable {
    func create(_ client: ServiceClient) async throws
    func list() async throws -> [ServiceClient]
    func find(clientID: String) async throws -> ServiceClient?
    func delete(id: UUID) async throws -> ServiceClient?
}

public protocol SigningKeyRepository: Sendable {
    func all() async throws -> [SigningKeyRecord]
    func insert(_ key: SigningKeyRecord) async throws
    func delete(kid: String) async throws
    /// Replaces the stored private key (re-encrypted under another key); the key itself is unchanged.
    func replacePrivateKey(kid: String, with privateKey: String) async throws
}

public protocol LoginThrottleRepository: Sendable {
    func state(key: String) async throws -> LoginThrottleState?
    /// Applies `update` to the row under a lock (or inserts it), returning what was stored.
    func modify(
        key: String,
        _ update: @escaping @Sendable (LoginThrottleState?) -> LoginThrottleState
    ) async throws -> LoginThrottleState
    func reset(key: String) async throws
    /// Emails locked out at `now` (the console's dashboard).
    func countLocked(at now: Date) async throws -> Int
}

extension UserRepository {
    /// Saves email, profile, activity and verification as `user` has them.
    public func update(_ user: User) async throws {
        try await update(user.id, UserChanges(everythingOf: user))
    }
}
