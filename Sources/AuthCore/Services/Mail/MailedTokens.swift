import Foundation

/// A verification or reset made ready outside the transaction (the random token and code and their keyed hashes),
/// so the transaction that stores it does nothing slow.
public struct PreparedEmailToken: Sendable {
    let request: EmailToken
    let token: String
    let code: String
    let tokenHash: String
    let codeHash: String
}

/// Issues mailed links and codes: one request replaces the user's previous one of the same purpose, and the mail
/// carrying it is queued in the same transaction. The per-address limit drops requests silently.
public struct MailedTokens: Sendable {
    let mailer: Mailer
    let codes: EmailCodeHasher
    let audit: AuditLog
    let clock: any AuthClock

    var settings: MailSettings { mailer.settings }

    public init(mailer: Mailer, codes: EmailCodeHasher, audit: AuditLog, clock: any AuthClock) {
        self.mailer = mailer
        self.codes = codes
        self.audit = audit
        self.clock = clock
    }

    public func prepare(
        _ purpose: EmailTokenPurpose,
        for user: User,
        email: String? = nil
    ) async throws
        -> PreparedEmailToken
    {
        let now = clock.now()
        let ttl = purpose == .resetPassword ? settings.resetTTL : settings.verificationTTL
        let request = EmailToken(
            userID: user.id,
            purpose: purpose,
            email: email ?? user.email,
            createdAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(ttl))
        )
        let token = SecureToken.generate(byteCount: 32)
        let code = EmailCodeHasher.newCode()
        return PreparedEmailToken(
            request: request,
            token: token,
            code: code,
            tokenHash: try await codes.linkHash(token),
            codeHash: try await codes.codeHash(code, request: request.id)
        )
    }

    /// Stores the request and queues its mail in `tx`; nil when the per-address limit drops it (nothing changes
    /// then: the previous link still works).
    public func issue(
        _ prepared: PreparedEmailToken,
        for user: User,
        actor: UUID?,
        via: String,
        meta: RequestMeta,
        in tx: any AuthStore
    ) async throws -> UUID? {
        let request = prepared.request
        let now = request.createdAt
        let lastMinute = try await tx.emailTokens.count(
            userID: user.id,
            purpose: request.purpose,
            since: now.addingTimeInterval(-60)
        )
        let lastHour = try await tx.emailTokens.count(
            userID: user.id,
            purpose: request.purpose,
            since: now.addingTimeInterval(-3_600)
        )
        let action = request.purpose == .resetPassword ? "password.reset_requested" : "email.verification_sent"
        guard lastMinute < settings.perAddressPerMinute, lastHour < settings.perAddressPerHour else {
            try await audit.record(
                audit.event(
                    action,
                    .failure,
                    actor: actor,
                    user: user.id,
                    meta: meta,
                    details: ["reason": "mail_limit"]
                ),
                in: tx
            )
            return nil
        }
        try await tx.emailTokens.replace(with: request, tokenHash: prepared.tokenHash, codeHash: prepared.codeHash)
        let ttl = request.purpose == .resetPassword ? settings.resetTTL : settings.verificationTTL
        let id = try await mailer.queue(
            request.purpose == .resetPassword ? .passwordReset : .verifyEmail,
            to: request.email,
            user: user,
            values: Self.lifetime(ttl).merging([
                "link": mailer.link(request.purpose, token: prepared.token),
                "code": prepared.code,
            ]) { $1 },
            in: tx
        )
        try await audit.record(
            audit.event(action, .success, actor: actor, user: user.id, meta: meta, details: ["via": via]),
            in: tx
        )
        return id
    }
}

extension MailedTokens {
    /// `expires_minutes`, and `expires_hours` when the lifetime is whole hours of two or more (templates say
    /// "24 hours", not "1440 minutes").
    static func lifetime(_ seconds: Int) -> [String: String] {
        var values = ["expires_minutes": String(seconds / 60)]
        if seconds >= 7_200 && seconds % 3_600 == 0 { values["expires_hours"] = String(seconds / 3_600) }
        return values
    }

    /// The notice to the address a user just left: it names the new one and holds no link.
    func noticeOfEmailChange(_ user: User, to newEmail: String, in tx: any AuthStore) async throws -> UUID {
        try await mailer.queue(
            .emailChanged,
            to: user.email,
            user: user,
            values: ["old_email": user.email, "new_email": newEmail],
            in: tx
        )
    }
}
