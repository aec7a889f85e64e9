import AuthCore
import Foundation
import SQLKit

/// Sessions and their refresh tokens (`sessions`, `refresh_tokens`). Only SHA-256 hashes of refresh tokens are stored.
struct SQLSessionRepository: SessionRepository {
    let sql: StoreDatabase

    func create(_ session: Session, refreshTokenHash: String) async throws {
        try await sql.insert(into: "sessions").model(SessionRow(session)).run()
        try await insertRefreshToken(id: UUID(), sessionID: session.id, hash: refreshTokenHash, at: session.createdAt)
    }

    private func insertRefreshToken(id: UUID, sessionID: UUID, hash: String, at: Date) async throws {
        try await sql.raw(
            """
            INSERT INTO refresh_tokens (id, session_id, token_hash, created_at)
            VALUES (\(bind: id), \(bind: sessionID), \(bind: hash), \(bind: at))
            """
        ).run()
    }

    func find(id: UUID) async throws -> Session? {
        try await sql.raw("SELECT * FROM sessions WHERE id = \(bind: id)").first(decoding: SessionRow.self)?.session
    }

    func list(userID: UUID, activeAt now: Date, idleTimeout: TimeInterval) async throws -> [Session] {
        try await sql.raw(
            """
            SELECT * FROM sessions WHERE user_id = \(bind: userID) AND revoked_at IS NULL AND expires_at > \(bind: now)
              AND last_used_at > \(bind: now.addingTimeInterval(-idleTimeout)) ORDER BY created_at DESC
            """
        ).all(decoding: SessionRow.self).map(\.session)
    }

    func countLive(at now: Date, idleTimeout: TimeInterval) async throws -> Int {
        try await sql.count(
            """
            SELECT COUNT(*) AS count FROM sessions WHERE revoked_at IS NULL AND expires_at > \(bind: now)
              AND last_used_at > \(bind: now.addingTimeInterval(-idleTimeout))
            """
        )
    }

    func revoke(id: UUID, reason: String, at: Date) async throws -> Bool {
        try await !sql.raw(
            """
            UPDATE sessions SET revoked_at = \(bind: at), revoke_reason = \(bind: reason)
            WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """
        ).all().isEmpty
    }

    func revokeAll(userID: UUID, except: UUID?, reason: String, at: Date) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        var query: SQLQueryString = """
            UPDATE sessions SET revoked_at = \(bind: at), revoke_reason = \(bind: reason)
            WHERE user_id = \(bind: userID) AND revoked_at IS NULL
            """
        if let except { query += " AND id <> \(bind: except)" }
        return try await sql.raw(query + " RETURNING id").all(decoding: Row.self).map(\.id)
    }

    func findRefreshToken(hash: String) async throws -> RefreshTokenRecord? {
        struct Row: Decodable {
            var id: UUID
            var session_id: UUID
            var created_at: Date
            var rotated_at: Date?
            var replaced_by: UUID?
            var successor_rotated_at: Date?
        }
        guard
            let row = try await sql.raw(
                """
                SELECT t.id, t.session_id, t.created_at, t.rotated_at, t.replaced_by, s.rotated_at AS successor_rotated_at
                FROM refresh_tokens t LEFT JOIN refresh_tokens s ON s.id = t.replaced_by WHERE t.token_hash = \(bind: hash)
                """
            ).first(decoding: Row.self)
        else { return nil }
        return RefreshTokenRecord(
            id: row.id,
            sessionID: row.session_id,
            createdAt: row.created_at,
            rotatedAt: row.rotated_at,
            replacedBy: row.replaced_by,
            successorUnused: row.replaced_by != nil && row.successor_rotated_at == nil
        )
    }

    func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: UUID,
        successorHash: String
    ) async throws -> RefreshTokenRotation? {
        struct Row: Decodable {
            var id: UUID
            var session_id: UUID
            var created_at: Date
            var session_last_used_at: Date
        }
        // The claim: of two concurrent rotations of one token, the second's UPDATE waits for the first, then finds
        // rotated_at set and claims nothing. It returns the session's last use as it was before this one.
        let claim: SQLQueryString = """
            UPDATE refresh_tokens SET rotated_at = \(bind: at), replaced_by = \(bind: successor)
            WHERE token_hash = \(bind: hash) AND rotated_at IS NULL
            RETURNING id, session_id, created_at,
              (SELECT last_used_at FROM sessions WHERE sessions.id = refresh_tokens.session_id) AS session_last_used_at
            """
        let row: Row?
        if sql.isPostgres {
            // One round trip: the successor and the session's use in data-modifying CTEs that read the claim, so
            // a claim that fails adds nothing. They share one snapshot: the claim's subquery sees the old use.
            row = try await sql.raw(
                "WITH claimed AS (" + claim + "), successor AS ("
                    + """
                    INSERT INTO refresh_tokens (id, session_id, token_hash, created_at)
                    SELECT \(bind: successor), session_id, \(bind: successorHash), \(bind: at) FROM claimed
                    ), used AS (
                    UPDATE sessions SET last_used_at = \(bind: at) WHERE id IN (SELECT session_id FROM claimed)
                    )
                    SELECT id, session_id, created_at, session_last_used_at FROM claimed
                    """
            ).first(decoding: Row.self)
        } else {
            row = try await sql.raw(claim).first(decoding: Row.self)
            if let row {
                try await insertRefreshToken(id: successor, sessionID: row.session_id, hash: successorHash, at: at)
                try await sql.raw("UPDATE sessions SET last_used_at = \(bind: at) WHERE id = \(bind: row.session_id)")
                    .run()
            }
        }
        guard let row else { return nil }
        let token = RefreshTokenRecord(
            id: row.id,
            sessionID: row.session_id,
            createdAt: row.created_at,
            rotatedAt: at,
            replacedBy: successor,
            successorUnused: true
        )
        return RefreshTokenRotation(token: token, sessionLastUsedAt: row.session_last_used_at)
    }

    func state(sessionID: UUID) async throws -> SessionState? {
        // One indexed lookup: the session, its user and the user's roles.
        let rows = try await sql.raw(
            "SELECT owned.*, " + OwnerRoleColumns.selectList + " FROM sessions owned " + OwnerRoleColumns.joins
                + " WHERE owned.id = \(bind: sessionID)"
        ).all().map { try $0.decodeWithOwner(SessionRow.self) }
        guard let (row, owner) = rows.first else { return nil }
        let owners = rows.map(\.1)
        return SessionState(
            session: row.session,
            userID: row.user_id,
            email: owner.email,
            userActive: owner.is_active,
            roles: owners.roleNames,
            permissions: owners.permissions(stepUp: false),
            stepUpPermissions: owners.permissions(stepUp: true)
        )
    }

    func deleteExpired(before: Date) async throws -> Int {
        try await sql.rowsWritten("DELETE FROM sessions WHERE expires_at < \(bind: before) RETURNING id")
    }
}
