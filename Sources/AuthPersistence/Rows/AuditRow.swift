import AuthCore
import Foundation

/// A row of `audit_events`; `details` is JSON (JSONB on PostgreSQL).
struct AuditRow: Codable, Sendable {
    var id: UUID
    var occurred_at: Date
    var action: String
    var outcome: String
    var actor_id: UUID?
    var user_id: UUID?
    var ip: String?
    var user_agent: String?
    var request_id: String?
    var details: JSONColumn<[String: String]>
}

extension AuditRow {
    init(_ e: AuditEvent) {
        self.init(
            id: e.id,
            occurred_at: e.occurredAt,
            action: e.action,
            outcome: e.outcome.rawValue,
            actor_id: e.actorID,
            user_id: e.userID,
            ip: e.ip,
            user_agent: e.userAgent,
            request_id: e.requestID,
            details: JSONColumn(e.details)
        )
    }

    /// An outcome this version does not know reads as a failure.
    var event: AuditEvent {
        AuditEvent(
            id: id,
            occurredAt: occurred_at,
            action: action,
            outcome: AuditEvent.Outcome(rawValue: outcome) ?? .failure,
            actorID: actor_id,
            userID: user_id,
            ip: ip,
            userAgent: user_agent,
            requestID: request_id,
            details: details.value
        )
    }
}
