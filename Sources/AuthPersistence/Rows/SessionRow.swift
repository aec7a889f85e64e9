import AuthCore
import Foundation

/// A row of `sessions`. Its refresh tokens are rows of `refresh_tokens`, read by `SQLSessionRepository` directly.
struct SessionRow: Codable, Sendable {
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
    /// Comma-separated.
    var amr: String

    init(_ s: Session) {
        id = s.id
        user_id = s.userID
        created_at = s.createdAt
        last_used_at = s.lastUsedAt
        expires_at = s.expiresAt
        revoked_at = s.revokedAt
        revoke_reason = s.revokeReason
        ip = s.ip
        user_agent = s.userAgent
        aal = s.aal
        amr = s.amr.joined(separator: ",")
    }

    var session: Session {
        Session(
            id: id,
            userID: user_id,
            createdAt: created_at,
            lastUsedAt: last_used_at,
            expiresAt: expires_at,
            revokedAt: revoked_at,
            revokeReason: revoke_reason,
            ip: ip,
            userAgent: user_agent,
            aal: aal,
            amr: amr.split(separator: ",").map(String.init)
        )
    }
}
