import AuthCore
import Foundation
import SQLKit

/// The mail outbox (`mail_outbox`). A worker claims due rows with one UPDATE that sets a lease (PostgreSQL skips rows
/// another worker has locked; SQLite has one writer), so no two workers hold one mail; a worker that dies leaves the
/// lease to run out, and the mail is claimed again.
struct SQLMailOutboxRepository: MailOutboxRepository {
    let sql: StoreDatabase

    struct Row: Codable {
        var id: UUID
        var message_id: String
        var kind: String
        var recipient: String
        var locale: String?
        var payload: String?
        var user_id: UUID?
        var status: String
        var attempts: Int
        var created_at: Date
        var next_attempt_at: Date
        var claimed_until: Date?
        var sent_at: Date?
        var last_error: String?

        var mail: OutboxMail {
            OutboxMail(
                id: id,
                messageID: message_id,
                kind: MailKind(rawValue: kind) ?? .verifyEmail,
                recipient: recipient,
                locale: locale,
                payload: payload,
                userID: user_id,
                status: OutboxMail.Status(rawValue: status) ?? .failed,
                attempts: attempts,
                createdAt: created_at,
                nextAttemptAt: next_attempt_at,
                sentAt: sent_at,
                lastError: last_error
            )
        }
    }

    func enqueue(_ mail: OutboxMail) async throws {
        let row = Row(
            id: mail.id,
            message_id: mail.messageID,
            kind: mail.kind.rawValue,
            recipient: mail.recipient,
            locale: mail.locale,
            payload: mail.payload,
            user_id: mail.userID,
            status: mail.status.rawValue,
            attempts: mail.attempts,
            created_at: mail.createdAt,
            next_attempt_at: mail.nextAttemptAt,
            claimed_until: nil,
            sent_at: mail.sentAt,
            last_error: mail.lastError
        )
        try await sql.insert(into: "mail_outbox").model(row).run()
    }

    func claim(limit: Int, preferring: [UUID], now: Date, lease: TimeInterval) async throws -> [OutboxMail] {
        var claimed: [OutboxMail] = []
        if !preferring.isEmpty {
            claimed = try await claim(limit: limit, only: preferring, now: now, lease: lease)
        }
        if claimed.count < limit {
            claimed += try await claim(limit: limit - claimed.count, only: nil, now: now, lease: lease)
        }
        return claimed
    }

    private func claim(limit: Int, only ids: [UUID]?, now: Date, lease: TimeInterval) async throws -> [OutboxMail] {
        var due: SQLQueryString = """
            SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
              AND (claimed_until IS NULL OR claimed_until <= \(bind: now))
            """
        if let ids { due = due + " AND id IN (\(binds: ids))" }
        due = due + " ORDER BY next_attempt_at LIMIT \(literal: limit)"
        if sql.isPostgres { due = due + " FOR UPDATE SKIP LOCKED" }
        let until = now.addingTimeInterval(lease)
        let update: SQLQueryString =
            "UPDATE mail_outbox SET claimed_until = \(bind: until), attempts = attempts + 1 WHERE id IN (" + due
            + ") RETURNING *"
        return try await sql.raw(update).all(decoding: Row.self).map(\.mail).sorted { $0.createdAt < $1.createdAt }
    }

    func markSent(id: UUID, at: Date) async throws {
        try await sql.raw(
            """
            UPDATE mail_outbox SET status = 'sent', sent_at = \(bind: at), payload = NULL, claimed_until = NULL,
              last_error = NULL WHERE id = \(bind: id)
            """
        ).run()
    }

    func markRetry(id: UUID, error: String, retryAt: Date) async throws {
        try await sql.raw(
            """
            UPDATE mail_outbox SET next_attempt_at = \(bind: retryAt), claimed_until = NULL, last_error = \(bind: error)
            WHERE id = \(bind: id) AND status = 'pending'
            """
        ).run()
    }

    func markFailed(id: UUID, error: String, at: Date) async throws {
        try await sql.raw(
            """
            UPDATE mail_outbox SET status = 'failed', payload = NULL, claimed_until = NULL, last_error = \(bind: error),
              next_attempt_at = \(bind: at) WHERE id = \(bind: id)
            """
        ).run()
    }

    func find(id: UUID) async throws -> OutboxMail? {
        try await sql.raw("SELECT * FROM mail_outbox WHERE id = \(bind: id)").first(decoding: Row.self)?.mail
    }

    func list(_ query: OutboxQuery) async throws -> AuthCore.Page<OutboxMail> {
        let filter: SQLQueryString = query.status.map { " WHERE status = \(bind: $0.rawValue)" } ?? ""
        let total = try await sql.count("SELECT COUNT(*) AS count FROM mail_outbox" + filter)
        let offset = (query.page - 1) * query.perPage
        let rows = try await sql.raw(
            "SELECT * FROM mail_outbox" + filter
                + " ORDER BY created_at DESC, id DESC LIMIT \(literal: query.perPage) OFFSET \(literal: offset)"
        ).all(decoding: Row.self)
        return AuthCore.Page(items: rows.map(\.mail), page: query.page, perPage: query.perPage, total: total)
    }

    func backlog() async throws -> OutboxBacklog {
        struct Backlog: Decodable {
            var count: Int
            var oldest: Date?
        }
        let row = try await sql.raw(
            "SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM mail_outbox WHERE status = 'pending'"
        ).first(decoding: Backlog.self)
        return OutboxBacklog(pending: row?.count ?? 0, oldestPendingAt: row?.oldest)
    }

    func count(kind: MailKind, recipient: String, since: Date) async throws -> Int {
        try await sql.count(
            """
            SELECT COUNT(*) AS count FROM mail_outbox
            WHERE recipient = \(bind: recipient) AND kind = \(bind: kind.rawValue) AND created_at >= \(bind: since)
            """
        )
    }

    func prune(before: Date) async throws -> Int {
        try await sql.rowsWritten(
            "DELETE FROM mail_outbox WHERE status <> 'pending' AND created_at < \(bind: before) RETURNING id"
        )
    }
}
