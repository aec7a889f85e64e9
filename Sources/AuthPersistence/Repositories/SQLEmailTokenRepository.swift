import AuthCore
import Foundation
import SQLKit

/// Mailed verification and reset requests (`email_tokens`). Spending one, and counting a wrong code, are each one
/// conditional UPDATE: of two concurrent uses, one wins.
struct SQLEmailTokenRepository: EmailTokenRepository {
    let sql: StoreDatabase

    struct Row: Codable {
        var id: UUID
        var user_id: UUID
        var purpose: String
        var email: String
        var token_hash: String
        var code_hash: String
        var attempts: Int
        var created_at: Date
        var expires_at: Date
        var used_at: Date?

        var token: EmailToken {
            EmailToken(
                id: id,
                userID: user_id,
                purpose: EmailTokenPurpose(rawValue: purpose) ?? .verifyEmail,
                email: email,
                createdAt: created_at,
                expiresAt: expires_at,
                attempts: attempts,
                usedAt: used_at
            )
        }
    }

    /// The conditions of a live request, at `now`.
    private func live(_ now: Date) -> SQLQueryString {
        "used_at IS NULL AND expires_at > \(bind: now) AND attempts < \(literal: EmailToken.maxCodeAttempts)"
    }

    func replace(with token: EmailToken, tokenHash: String, codeHash: String) async throws {
        try await sql.raw(
            """
            UPDATE email_tokens SET used_at = \(bind: token.createdAt)
            WHERE user_id = \(bind: token.userID) AND purpose = \(bind: token.purpose.rawValue) AND used_at IS NULL
            """
        ).run()
        let row = Row(
            id: token.id,
            user_id: token.userID,
            purpose: token.purpose.rawValue,
            email: token.email,
            token_hash: tokenHash,
            code_hash: codeHash,
            attempts: token.attempts,
            created_at: token.createdAt,
            expires_at: token.expiresAt,
            used_at: token.usedAt
        )
        try await sql.insert(into: "email_tokens").model(row).run()
    }

    func consume(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken? {
        try await sql.raw(
            "UPDATE email_tokens SET used_at = \(bind: now) WHERE token_hash = \(bind: tokenHash) AND purpose = "
                + "\(bind: purpose.rawValue) AND " + live(now) + " RETURNING *"
        ).first(decoding: Row.self)?.token
    }

    func live(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken? {
        try await sql.raw(
            "SELECT * FROM email_tokens WHERE token_hash = \(bind: tokenHash) AND purpose = \(bind: purpose.rawValue)"
                + " AND " + live(now)
        ).first(decoding: Row.self)?.token
    }

    func live(userID: UUID, purpose: EmailTokenPurpose, now: Date) async throws -> (EmailToken, codeHash: String)? {
        guard
            let row = try await sql.raw(
                "SELECT * FROM email_tokens WHERE user_id = \(bind: userID) AND purpose = \(bind: purpose.rawValue)"
                    + " AND " + live(now) + " ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: Row.self)
        else { return nil }
        return (row.token, row.code_hash)
    }

    func countWrongCode(id: UUID, now: Date) async throws -> Int? {
        try await sql.raw(
            "UPDATE email_tokens SET attempts = attempts + 1 WHERE id = \(bind: id) AND " + live(now) + " RETURNING *"
        ).first(decoding: Row.self)?.attempts
    }

    func consume(id: UUID, codeHash: String, now: Date) async throws -> EmailToken? {
        try await sql.raw(
            "UPDATE email_tokens SET used_at = \(bind: now) WHERE id = \(bind: id) AND code_hash = \(bind: codeHash) AND "
                + live(now) + " RETURNING *"
        ).first(decoding: Row.self)?.token
    }

    func count(userID: UUID, purpose: EmailTokenPurpose, since: Date) async throws -> Int {
        try await sql.count(
            """
            SELECT COUNT(*) AS count FROM email_tokens
            WHERE user_id = \(bind: userID) AND purpose = \(bind: purpose.rawValue) AND created_at >= \(bind: since)
            """
        )
    }

    func deleteEnded(before: Date) async throws -> Int {
        try await sql.rowsWritten(
            "DELETE FROM email_tokens WHERE expires_at < \(bind: before) OR used_at < \(bind: before) RETURNING id"
        )
    }
}

struct SQLServerSecretRepository: ServerSecretRepository {
    let sql: StoreDatabase

    func value(named name: String, storingIfAbsent candidate: String) async throws -> String {
        try await sql.raw(
            """
            INSERT INTO server_secrets (name, value, created_at) VALUES (\(bind: name), \(bind: candidate), \(bind: Date()))
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
        struct Value: Decodable { var value: String }
        guard
            let stored = try await sql.raw("SELECT value FROM server_secrets WHERE name = \(bind: name)")
                .first(decoding: Value.self)
        else { throw AuthError.internalError }
        return stored.value
    }
}
