import AuthCore
import Foundation
import Hummingbird

struct AuditEventResponse: ResponseEncodable, Sendable {
    let id: String
    let occurredAt: String
    let action: String
    let outcome: String
    @ExplicitNull var actorID: String?
    @ExplicitNull var userID: String?
    @ExplicitNull var ip: String?
    @ExplicitNull var userAgent: String?
    @ExplicitNull var requestID: String?
    let details: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, action, outcome, ip, details
        case occurredAt = "occurred_at"
        case actorID = "actor_id"
        case userID = "user_id"
        case userAgent = "user_agent"
        case requestID = "request_id"
    }

    init(_ event: AuditEvent) {
        id = event.id.uuidString.lowercased()
        occurredAt = rfc3339(event.occurredAt)
        action = event.action
        outcome = event.outcome.rawValue
        actorID = event.actorID?.uuidString.lowercased()
        userID = event.userID?.uuidString.lowercased()
        ip = event.ip
        userAgent = event.userAgent
        requestID = event.requestID
        details = event.details
    }
}
