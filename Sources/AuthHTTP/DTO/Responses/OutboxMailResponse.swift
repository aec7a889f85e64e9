import AuthCore
import Foundation
import Hummingbird

/// A mail in the outbox as admins see it: where it went and what happened, never what it said.
struct OutboxMailResponse: ResponseEncodable, Sendable {
    let id: String
    let messageID: String
    let kind: String
    let to: String
    let status: String
    let attempts: Int
    @ExplicitNull var userID: String?
    let createdAt: String
    let nextAttemptAt: String
    @ExplicitNull var sentAt: String?
    @ExplicitNull var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, to, status, attempts
        case messageID = "message_id"
        case userID = "user_id"
        case createdAt = "created_at"
        case nextAttemptAt = "next_attempt_at"
        case sentAt = "sent_at"
        case lastError = "last_error"
    }

    init(_ mail: OutboxMail) {
        id = mail.id.uuidString.lowercased()
        messageID = mail.messageID
        kind = mail.kind.rawValue
        to = mail.recipient
        status = mail.status.rawValue
        attempts = mail.attempts
        userID = mail.userID?.uuidString.lowercased()
        createdAt = rfc3339(mail.createdAt)
        nextAttemptAt = rfc3339(mail.nextAttemptAt)
        sentAt = mail.sentAt.map(rfc3339)
        lastError = mail.lastError
    }
}

/// `{}`: what the mail routes answer with their 202.
struct EmptyObjectResponse: ResponseEncodable, Sendable {}
