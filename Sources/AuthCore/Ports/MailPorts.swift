import Foundation

public protocol EmailTokenRepository: Sendable {
    /// Ends the user's live requests for `purpose` (a new request replaces the old) and stores this one.
    func replace(with token: EmailToken, tokenHash: String, codeHash: String) async throws
    /// Marks the live request with this link hash used and returns it; nil when there is none (single use: of two
    /// concurrent callers, one gets it).
    func consume(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken?
    /// The live request with this link hash, left as it is.
    func live(tokenHash: String, purpose: EmailTokenPurpose, now: Date) async throws -> EmailToken?
    /// The user's live request for `purpose` with its code hash.
    func live(userID: UUID, purpose: EmailTokenPurpose, now: Date) async throws -> (EmailToken, codeHash: String)?
    /// Counts a wrong code against a live request; returns the attempts now recorded (nil: it was not live).
    func countWrongCode(id: UUID, now: Date) async throws -> Int?
    /// Marks the request used when it is live and `codeHash` is its code's; nil otherwise.
    func consume(id: UUID, codeHash: String, now: Date) async throws -> EmailToken?
    /// Requests for `purpose` made for the user since `since` (the per-address mail limit).
    func count(userID: UUID, purpose: EmailTokenPurpose, since: Date) async throws -> Int
    /// Deletes requests that ended before `before`.
    func deleteEnded(before: Date) async throws -> Int
}

public protocol MailOutboxRepository: Sendable {
    func enqueue(_ mail: OutboxMail) async throws
    /// Claims up to `limit` due pending mails (the ones in `preferring` first) for `lease`: each claimed mail is
    /// invisible to other claimers until the lease ends, so two workers never hold one mail (PostgreSQL: `FOR UPDATE
    /// SKIP LOCKED`; SQLite runs one writer at a time). Counts an attempt on each.
    func claim(limit: Int, preferring: [UUID], now: Date, lease: TimeInterval) async throws -> [OutboxMail]
    /// Sent: the values (which may hold a token) are erased.
    func markSent(id: UUID, at: Date) async throws
    /// Not sent this time; tried again at `retryAt`.
    func markRetry(id: UUID, error: String, retryAt: Date) async throws
    /// Given up: the values are erased.
    func markFailed(id: UUID, error: String, at: Date) async throws
    func find(id: UUID) async throws -> OutboxMail?
    func list(_ query: OutboxQuery) async throws -> Page<OutboxMail>
    func backlog() async throws -> OutboxBacklog
    /// Mails of `kind` to `recipient` queued since `since` (the per-address limit).
    func count(kind: MailKind, recipient: String, since: Date) async throws -> Int
    /// Deletes sent and failed mails older than `before`.
    func prune(before: Date) async throws -> Int
}

public protocol ServerSecretRepository: Sendable {
    /// The stored value named `name`, storing `candidate` first when there is none (several instances starting at once
    /// all get the one value that won).
    func value(named name: String, storingIfAbsent candidate: String) async throws -> String
}
