import AuthShared
import Foundation
import Synchronization

/// Personal access tokens: issued by a signed-in user for what it holds (the delegation rule), listed and revoked by
/// their owner or an administrator who covers the owner, and turned back into a caller on every request. A token's
/// effective permissions are its list intersected with its user's current ones.
public final class PersonalAccessTokenService: Sendable {
    public struct Settings: Sendable {
        /// Seconds, when the request names no lifetime.
        public var defaultTTL: Int
        public var maxTTL: Int
        public var allowNonExpiring: Bool
        public var maxPerUser: Int
        public init(defaultTTL: Int, maxTTL: Int, allowNonExpiring: Bool, maxPerUser: Int) {
            self.defaultTTL = defaultTTL
            self.maxTTL = maxTTL
            self.allowNonExpiring = allowNonExpiring
            self.maxPerUser = maxPerUser
        }
        public init(_ c: AuthConfiguration) {
            self.init(
                defaultTTL: c.personalTokenDefaultTTL,
                maxTTL: c.personalTokenMaxTTL,
                allowNonExpiring: c.personalTokenAllowNonExpiring,
                maxPerUser: c.personalTokenMaxPerUser
            )
        }
    }

    /// A new token and its secret, which is shown once and never stored.
    public struct Issued: Sendable {
        public var token: PersonalAccessToken
        public var secret: String
    }

    /// A use is written at most this often per token (`last_used_at`, `last_used_ip`).
    static let useRecordInterval: TimeInterval = 60

    let settings: Settings
    private let store: any AuthStore
    private let cache: PersonalTokenCache
    private let delegation: DelegationGuard
    private let audit: AuditLog
    private let clock: any AuthClock
    /// When this instance last wrote a use of each token.
    private let usesRecorded = Mutex<[UUID: Date]>([:])
    /// When this instance last audited a revoked token presented again (at most once a minute per token).
    private let revokedUsesAudited = Mutex<[UUID: Date]>([:])

    public init(
        settings: Settings,
        store: any AuthStore,
        cache: PersonalTokenCache,
        delegation: DelegationGuard,
        audit: AuditLog,
        clock: any AuthClock
    ) {
        self.settings = settings
        self.store = store
        self.cache = cache
        self.delegation = delegation
        self.audit = audit
        self.clock = clock
    }

    // MARK: Issuing and revoking

    public func create(
        _ principal: Principal,
        name rawName: String,
        permissions rawPermissions: [String],
        expiresIn: Int?,
        neverExpires: Bool,
        meta: RequestMeta
    ) async throws -> Issued {
        _ = try principal.requireSession()
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldError] = []
        if name.isEmpty || name.unicodeScalars.count > FieldLimits.personalTokenName
            || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            problems.append(
                FieldError(
                    field: "name",
                    code: "invalid_value",
                    message: "A name of 1 to \(FieldLimits.personalTokenName) characters, without control characters."
                )
            )
        }
        let permissions = Array(Set(rawPermissions)).sorted()
        if permissions.count > FieldLimits.permissionsPerToken || !permissions.allSatisfy(Permission.isValid) {
            problems.append(
                FieldError(
                    field: "permissions",
                    code: "invalid_value",
                    message:
                        "At most \(FieldLimits.permissionsPerToken) permissions, each `*`, `resource:*` or `resource:action`."
                )
            )
        }
        let now = clock.now()
        var expiresAt: Date?
        if neverExpires {
            if !settings.allowNonExpiring {
                problems.append(
                    FieldError(
                        field: "never_expires",
                        code: "not_allowed",
                        message: "Tokens that never expire are turned off (AUTH_PAT_ALLOW_NON_EXPIRING)."
                    )
                )
            } else if expiresIn != nil {
                problems.append(
                    FieldError(field: "expires_in", code: "invalid_value", message: "Give expires_in or never_expires.")
                )
            }
        } else {
            let ttl = expiresIn ?? settings.defaultTTL
            if !(60...settings.maxTTL).contains(ttl) {
                problems.append(
                    FieldError(
                        field: "expires_in",
                        code: "out_of_range",
                        message: "Seconds, from 60 to \(settings.maxTTL)."
                    )
                )
            }
            expiresAt = now.addingTimeInterval(TimeInterval(ttl))
        }
        guard problems.isEmpty else { throw AuthError.validation(problems) }
        // A token holds at most what its creator holds now.
        try await delegation.require(
            principal,
            covers: permissions,
            action: "token.create",
            target: principal.userID,
            meta: meta
        )
        let secret = PersonalTokenFormat.generate()
        let token = PersonalAccessToken(
            userID: principal.userID,
            name: name,
            permissions: permissions,
            createdAt: now,
            expiresAt: expiresAt
        )
        let limit = settings.maxPerUser
        let expiry = expiresAt.map { String(Int($0.timeIntervalSince1970)) } ?? "never"
        try await store.transaction { tx in
            try await tx.personalTokens.lockOwner(userID: token.userID)
            guard try await tx.personalTokens.countUsable(userID: token.userID, at: now) < limit else {
                throw AuthError.tooManyTokens(limit: limit)
            }
            try await tx.personalTokens.create(token, hash: SecureToken.hash(secret))
            var details = ["token_id": token.id.uuidString.lowercased(), "name": name]
            details["permissions"] = permissions.joined(separator: ",")
            details["expires_at"] = expiry
            let event = self.audit.event(
                "token.created",
                .success,
                actor: token.userID,
                user: token.userID,
                meta: meta,
                details: details
            )
            try await self.audit.record(event, in: tx)
        }
        return Issued(token: token, secret: secret)
    }

    /// The caller's own tokens that are not revoked, newest first.
    public func list(_ principal: Principal) async throws -> [PersonalAccessToken] {
        try await store.personalTokens.list(userID: principal.userID)
    }

    /// Revokes one of the caller's own tokens; another user's is "not found".
    public func revoke(_ principal: Principal, tokenID: UUID, meta: RequestMeta) async throws {
        guard let token = try await store.personalTokens.find(id: tokenID), token.userID == principal.userID else {
            throw AuthError.tokenNotFound
        }
        try await revoke(token, actor: principal.userID, meta: meta)
    }

    /// An administrator's view of a user's tokens.
    public func list(of userID: UUID) async throws -> [PersonalAccessToken] {
        guard try await store.users.find(id: userID) != nil else { throw AuthError.userNotFound }
        return try await store.personalTokens.list(userID: userID)
    }

    /// Revokes a user's token on an administrator's behalf (who must cover the user's permissions).
    public func revoke(tokenID: UUID, of userID: UUID, actor: Principal, meta: RequestMeta) async throws {
        guard try await store.users.find(id: userID) != nil else { throw AuthError.userNotFound }
        try await delegation.requireCovering(user: userID, actor: actor, action: "token.revoke", meta: meta)
        guard let token = try await store.personalTokens.find(id: tokenID), token.userID == userID else {
            throw AuthError.tokenNotFound
        }
        try await revoke(token, actor: actor.userID, meta: meta)
    }

    private func revoke(_ token: PersonalAccessToken, actor: UUID, meta: RequestMeta) async throws {
        let now = clock.now()
        try await store.transaction { tx in
            guard try await tx.personalTokens.revoke(id: token.id, at: now) else { throw AuthError.tokenNotFound }
            try await tx.announce(.personalToken(token.id))
            let event = self.audit.event(
                "token.revoked",
                .success,
                actor: actor,
                user: token.userID,
                meta: meta,
                details: ["token_id": token.id.uuidString.lowercased(), "name": token.name]
            )
            try await self.audit.record(event, in: tx)
        }
        cache.invalidate(token: token.id)
    }

    // MARK: Authentication

    /// The caller behind a personal access token, as the database sees it now. Throws `AuthError.invalidToken`.
    /// A token whose checksum is wrong is refused before any lookup.
    public func authenticate(_ secret: String, meta: RequestMeta) async throws -> Principal {
        guard PersonalTokenFormat.isWellFormed(secret) else { throw AuthError.invalidToken }
        let hash = SecureToken.hash(secret)
        let now = clock.now()
        var state = cache.lookup(hash, now: now)
        // A cached refusal that could have changed (the user re-enabled) is checked against the database.
        if let cached = state, !cached.userActive, cached.token.revokedAt == nil, !cached.token.isExpired(at: now) {
            state = nil
        }
        if state == nil {
            let generation = cache.hub.generation
            state = try await store.personalTokens.state(hash: hash)
            if let state { cache.put(hash, state, now: now, readAfter: generation) }
        }
        guard let state else { throw AuthError.invalidToken }
        let token = state.token
        if token.revokedAt != nil {
            await auditRevokedUse(token, now: now, meta: meta)
            throw AuthError.invalidToken
        }
        guard state.userActive, !token.isExpired(at: now) else { throw AuthError.invalidToken }
        await recordUse(token, now: now, ip: meta.ip)
        return Principal(
            userID: token.userID,
            personalTokenID: token.id,
            email: state.email,
            roles: state.roles,
            permissions: Permission.intersection(token.permissions, state.userPermissions),
            expiresAt: token.expiresAt.map { Int($0.timeIntervalSince1970) },
            issuedAt: Int(token.createdAt.timeIntervalSince1970)
        )
    }

    /// `last_used_at` and `last_used_ip`, written at most once a minute per token (and, through the statement's
    /// condition, at most once a minute across instances). Awaited by the request that is due, not left to a detached
    /// task, which could outlive the database at shutdown; a failure to record is not the request's failure.
    private func recordUse(_ token: PersonalAccessToken, now: Date, ip: String?) async {
        let due = usesRecorded.withLock { recorded -> Bool in
            if let last = recorded[token.id], now.timeIntervalSince(last) < Self.useRecordInterval { return false }
            if recorded.count >= 100_000 { recorded.removeAll(keepingCapacity: true) }
            recorded[token.id] = now
            return true
        }
        guard due else { return }
        let notBefore = now.addingTimeInterval(-Self.useRecordInterval)
        try? await store.personalTokens.recordUse(id: token.id, at: now, ip: ip, unlessUsedAfter: notBefore)
    }

    /// A revoked token presented again may be a leak being tried: audited, at most once a minute per token.
    private func auditRevokedUse(_ token: PersonalAccessToken, now: Date, meta: RequestMeta) async {
        let due = revokedUsesAudited.withLock { audited -> Bool in
            if let last = audited[token.id], now.timeIntervalSince(last) < Self.useRecordInterval { return false }
            if audited.count >= 10_000 { audited.removeAll(keepingCapacity: true) }
            audited[token.id] = now
            return true
        }
        guard due else { return }
        let event = audit.event(
            "token.used_after_revoke",
            .failure,
            user: token.userID,
            meta: meta,
            details: ["token_id": token.id.uuidString.lowercased(), "name": token.name]
        )
        await audit.recordDetached(event, in: store)
    }
}
