import AuthCore
import Foundation
import SQLKit

/// Sessions and their refresh tokens (`sessions`, `refresh_tokens`). Only SHA-256 hashes of refresh tokens are stored.
struct SQLSessionRepository: SessionRepository {
    let sql: StoreDatabase

    func create(_ session: Session, refreshTokenHash: String) async throws {
        try await sql.insert(into: "sessions").model(SessionRow(session)).run()
        try await addRefreshToken(sessionID: session.id, hash: refreshTokenHash, parent: nil, at: session.createdAt)
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
        struct Count: Decodable { var count: Int }
        return try await sql.raw(
            """
            SELECT COUNT(*) AS count FROM sessions WHERE revoked_at IS NULL AND expires_at > \(bind: now)
              AND last_used_at > \(bind: now.addingTimeInterval(-idleTimeout))
            """
        ).first(decoding: Count.self)?.count ?? 0
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

    func claimRefreshToken(hash: String, at: Date, successor: UUID?) async throws -> RefreshTokenRecord? {
        struct Row: Decodable {
            var id: UUID
            var session_id: UUID
            var created_at: Date
        }
        // One statement: of two concurrent claims of the same token, only one sees rotated_at still NULL.
        guard
            let row = try await sql.raw(
                """
                UPDATE refresh_tokens SET rotated_at = \(bind: at), replaced_by = \(bind: successor)
                WHERE token_hash = \(bind: hash) AND rotated_at IS NULL
                RETURNING id, session_id, created_at
                """
            ).first(decoding: Row.self)
        else { return nil }
        return RefreshTokenRecord(
            id: row.id,
            sessionID: row.session_id,
            createdAt: row.created_at,
            rotatedAt: at,
            replacedBy: successor,
            successorUnused: successor != nil
        )
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
                try await sql.raw(
                    """
                    INSERT INTO refresh_tokens (id, session_id, token_hash, created_at)
                    VALUES (\(bind: successor), \(bind: row.session_id), \(bind: successorHash), \(bind: at))
                    """
                ).run()
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

    func addRefreshToken(sessionID: UUID, hash: String, parent: UUID?, at: Date) async throws {
        let id = UUID()
        try await sql.raw(
            """
            INSERT INTO refresh_tokens (id, session_id, token_hash, created_at)
            VALUES (\(bind: id), \(bind: sessionID), \(bind: hash), \(bind: at))
            """
        ).run()
        if let parent {
            try await sql.raw("UPDATE refresh_tokens SET replaced_by = \(bind: id) WHERE id = \(bind: parent)").run()
            try await sql.raw("UPDATE sessions SET last_used_at = \(bind: at) WHERE id = \(bind: sessionID)").run()
        }
    }

    func state(sessionID: UUID) async throws -> SessionState? {
        struct Row: Decodable {
            var id: UUID
            var user_id: UUID
            var created_at: Date
            var last_used_at: Date
            var expires_at: Date
            var revoked_at: Date?
            var revoke_reason: String?
            var ip: String?
            var user_agent: String?
            var aal: Int
            var amr: String
            var email: String
            var is_active: Bool
            var role_name: String?
            var role_permissions: JSONColumn<[String]>?
            var role_requires_mfa: Bool?
        }
        // One indexed lookup: the session, its user and the user's roles.
        let rows = try await sql.raw(
            """
            SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.revoke_reason, s.ip, s.user_agent,
                   s.aal, s.amr, u.email, u.is_active, r.name AS role_name, r.permissions AS role_permissions,
                   r.requires_mfa AS role_requires_mfa
            FROM sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
            WHERE s.id = \(bind: sessionID)
            """
        ).all(decoding: Row.self)
        guard let first = rows.first else { return nil }
        let session = Session(
            id: first.id,
            userID: first.user_id,
            createdAt: first.created_at,
            lastUsedAt: first.last_used_at,
            expiresAt: first.expires_at,
            revokedAt: first.revoked_at,
            revokeReason: first.revoke_reason,
            ip: first.ip,
            userAgent: first.user_agent,
            aal: first.aal,
            amr: first.amr.split(separator: ",").map(String.init)
        )
        return SessionState(
            session: session,
            userID: first.user_id,
            email: first.email,
            userActive: first.is_active,
            roles: rows.compactMap(\.role_name).sorted(),
            permissions: Permission.union(
                rows.filter { $0.role_requires_mfa != true }.compactMap { $0.role_permissions?.value }
            ),
            stepUpPermissions: Permission.union(
                rows.filter { $0.role_requires_mfa == true }.compactMap { $0.role_permissions?.value }
            )
        )
    }

    func deleteExpired(before: Date) async throws -> Int {
        try await sql.raw("DELETE FROM sessions WHERE expires_at < \(bind: before) RETURNING id").all().count
    }
}
