import Foundation

/// The mails authd sends. The raw value names the template.
public enum MailKind: String, Sendable, CaseIterable {
    case verifyEmail = "verify-email"
    case passwordReset = "password-reset"
    case emailChanged = "email-changed"
    case passwordChanged = "password-changed"
    case recoveryCodeUsed = "recovery-code-used"
    case mfaReset = "mfa-reset"
}

/// A mail in the outbox: written in the transaction of the change that causes it, sent by a worker, retried with
/// backoff. `payload` holds the values that fill the template as JSON; they may hold a link token and a code, so it is
/// sealed at rest (with `AUTH_ENCRYPTION_KEY` when set) and erased once the mail is sent or given up (`Mailer` seals
/// and opens it).
public struct OutboxMail: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, sent, failed
    }

    public var id: UUID
    /// Stays the same across retries: `<uuid>@<host of the public URL>`, without brackets.
    public var messageID: String
    public var kind: MailKind
    public var recipient: String
    public var locale: String?
    public var payload: String?
    public var userID: UUID?
    public var status: Status
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var sentAt: Date?
    /// Why the last attempt failed; never a secret.
    public var lastError: String?

    public init(
        id: UUID = UUID(),
        messageID: String,
        kind: MailKind,
        recipient: String,
        locale: String?,
        payload: String?,
        userID: UUID?,
        status: Status = .pending,
        attempts: Int = 0,
        createdAt: Date,
        nextAttemptAt: Date,
        sentAt: Date? = nil,
        lastError: String? = nil
    ) {
        self.id = id
        self.messageID = messageID
        self.kind = kind
        self.recipient = recipient
        self.locale = locale
        self.payload = payload
        self.userID = userID
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

/// Admin listing of the outbox.
public struct OutboxQuery: Sendable, Equatable {
    public var status: OutboxMail.Status?
    public var page: Int
    public var perPage: Int

    public init(status: OutboxMail.Status? = nil, page: Int = 1, perPage: Int = 20) {
        self.status = status
        self.page = page
        self.perPage = perPage
    }
}

/// How far behind the outbox is.
public struct OutboxBacklog: Sendable, Equatable {
    public var pending: Int
    public var oldestPendingAt: Date?

    public init(pending: Int, oldestPendingAt: Date?) {
        self.pending = pending
        self.oldestPendingAt = oldestPendingAt
    }
}
