import AuthCore
import Foundation

struct InMemoryEmailTokenRepository: EmailTokenRepository {
    let context: InMemoryContext

    func replace(with token: EmailToken, tokenHash: String, codeHash: String) async throws {
        try await context.write { s in
            guard s.users[token.userID] != nil else {
                throw InMemoryStoreError.missingReference("email_tokens.user_id")
            }
            guard !s.emailTokens.values.contains(where: { $0.tokenHash == tokenHash }) else {
                throw InMemoryStoreError.duplicateKey("email_tokens.token_hash")
            }
            for (id, stored) in s.emailTokens
            where stored.token.userID == token.userID && stored.token.purpose == token.purpose
                && stored.token.usedAt == nil
            {
                s.emailTokens[id]?.token.usedAt = token.createdAt
            }
            s.emailTokens[token.id] = InMemoryState.StoredEmailToken(
                token: token,
                tokenHash: tokenHash,
                codeHash: codeHash
            )
        }
    }

    func consume(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken? {
        try await context.write { s in
            guard
                let stored = s.emailTokens.values.first(where: {
                    $0.tokenHash == tokenHash && $0.token.purpose == purpose && $0.token.isLive(at: now)
                })
            else { return nil }
            s.emailTokens[stored.token.id]?.token.usedAt = now
            return s.emailTokens[stored.token.id]?.token
        }
    }

    func live(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken? {
        try context.read { s in
            s.emailTokens.values.first {
                $0.tokenHash == tokenHash && $0.token.purpose == purpose && $0.token.isLive(at: now)
            }?.token
        }
    }

    func live(userID: UUID, purpose: EmailTokenPurpose, now: Date) async throws -> (EmailToken, codeHash: String)? {
        try context.read { s in
            s.emailTokens.values.filter {
                $0.token.userID == userID && $0.token.purpose == purpose && $0.token.isLive(at: now)
            }.max { $0.token.createdAt < $1.token.createdAt }.map { ($0.token, $0.codeHash) }
        }
    }

    func countWrongCode(id: UUID, now: Date) async throws -> Int? {
        try await context.write { s in
            guard let stored = s.emailTokens[id], stored.token.isLive(at: now) else { return nil }
            s.emailTokens[id]?.token.attempts += 1
            return stored.token.attempts + 1
        }
    }

    func consume(id: UUID, codeHash: String, now: Date) async throws -> EmailToken? {
        try await context.write { s in
            guard let stored = s.emailTokens[id], stored.codeHash == codeHash, stored.token.isLive(at: now) else {
                return nil
            }
            s.emailTokens[id]?.token.usedAt = now
            return s.emailTokens[id]?.token
        }
    }

    func count(userID: UUID, purpose: EmailTokenPurpose, since: Date) async throws -> Int {
        try context.read { s in
            s.emailTokens.values.filter {
                $0.token.userID == userID && $0.token.purpose == purpose && $0.token.createdAt >= since
            }.count
        }
    }

    func deleteEnded(before: Date) async throws -> Int {
        try await context.write { s in
            let ended = s.emailTokens.values.filter {
                $0.token.expiresAt < before || ($0.token.usedAt.map { $0 < before } ?? false)
            }.map(\.token.id)
            for id in ended { s.emailTokens[id] = nil }
            return ended.count
        }
    }
}

struct InMemoryMailOutboxRepository: MailOutboxRepository {
    let context: InMemoryContext

    func enqueue(_ mail: OutboxMail) async throws {
        try await context.write { s in
            guard s.outbox[mail.id] == nil else { throw InMemoryStoreError.duplicateKey("mail_outbox.id") }
            s.outbox[mail.id] = mail
        }
    }

    func claim(limit: Int, preferring: [UUID], now: Date, lease: TimeInterval) async throws -> [OutboxMail] {
        try await context.write { s in
            let due = s.outbox.values.filter { mail in
                mail.status == .pending && mail.nextAttemptAt <= now
                    && (s.outboxLeases[mail.id].map { $0 <= now } ?? true)
            }
            let preferred = Set(preferring)
            let chosen = due.sorted {
                preferred.contains($0.id) != preferred.contains($1.id)
                    ? preferred.contains($0.id) : $0.nextAttemptAt < $1.nextAttemptAt
            }.prefix(limit)
            return chosen.map { mail in
                s.outboxLeases[mail.id] = now.addingTimeInterval(lease)
                s.outbox[mail.id]?.attempts += 1
                return s.outbox[mail.id] ?? mail
            }.sorted { $0.createdAt < $1.createdAt }
        }
    }

    func markSent(id: UUID, at: Date) async throws {
        try await context.write { s in
            s.outbox[id]?.status = .sent
            s.outbox[id]?.sentAt = at
            s.outbox[id]?.payload = nil
            s.outbox[id]?.lastError = nil
            s.outboxLeases[id] = nil
        }
    }

    func markRetry(id: UUID, error: String, retryAt: Date) async throws {
        try await context.write { s in
            guard s.outbox[id]?.status == .pending else { return }
            s.outbox[id]?.nextAttemptAt = retryAt
            s.outbox[id]?.lastError = error
            s.outboxLeases[id] = nil
        }
    }

    func markFailed(id: UUID, error: String, at: Date) async throws {
        try await context.write { s in
            s.outbox[id]?.status = .failed
            s.outbox[id]?.payload = nil
            s.outbox[id]?.lastError = error
            s.outbox[id]?.nextAttemptAt = at
            s.outboxLeases[id] = nil
        }
    }

    func find(id: UUID) async throws -> OutboxMail? {
        try context.read { $0.outbox[id] }
    }

    func list(_ query: OutboxQuery) async throws -> Page<OutboxMail> {
        try context.read { s in
            let mails = s.outbox.values.filter { mail in query.status.map { mail.status == $0 } ?? true }
                .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : uuidPrecedes($1.id, $0.id) }
            return Page(
                items: pageItems(mails, page: query.page, perPage: query.perPage),
                page: query.page,
                perPage: query.perPage,
                total: mails.count
            )
        }
    }

    func backlog() async throws -> OutboxBacklog {
        try context.read { s in
            let pending = s.outbox.values.filter { $0.status == .pending }
            return OutboxBacklog(pending: pending.count, oldestPendingAt: pending.map(\.createdAt).min())
        }
    }

    func count(kind: MailKind, recipient: String, since: Date) async throws -> Int {
        try context.read { s in
            s.outbox.values.filter { $0.kind == kind && $0.recipient == recipient && $0.createdAt >= since }.count
        }
    }

    func prune(before: Date) async throws -> Int {
        try await context.write { s in
            let old = s.outbox.values.filter { $0.status != .pending && $0.createdAt < before }.map(\.id)
            for id in old { s.outbox[id] = nil }
            return old.count
        }
    }
}

struct InMemoryServerSecretRepository: ServerSecretRepository {
    let context: InMemoryContext

    func value(named name: String, storingIfAbsent candidate: String) async throws -> String {
        try await context.write { s in
            if let stored = s.serverSecrets[name] { return stored }
            s.serverSecrets[name] = candidate
            return candidate
        }
    }
}
