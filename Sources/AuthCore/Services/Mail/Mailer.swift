import Foundation
import Synchronization

/// A request to send some queued mails now, and a way to say when that was tried.
public struct MailNudge: Sendable {
    public let ids: [UUID]
    public let done: @Sendable () -> Void
}

/// Queues mail in the outbox, inside the transaction of the change that causes it, and nudges this instance's worker
/// to send it at once. The worker (AuthRuntime's `MailOutboxWorker`) does the sending; if the process dies first, the
/// row is still there and any instance sends it later.
public final class Mailer: Sendable {
    let settings: MailSettings
    let publicBaseURL: String
    private let clock: any AuthClock
    private let secretBox: SecretBox?
    private let messageIDDomain: String
    private let continuation: AsyncStream<MailNudge>.Continuation
    /// What the worker reads.
    public let nudges: AsyncStream<MailNudge>
    private let workerRunning = Mutex(false)

    public init(settings: MailSettings, publicBaseURL: String, clock: any AuthClock, secretBox: SecretBox?) {
        self.settings = settings
        self.publicBaseURL = publicBaseURL
        self.clock = clock
        self.secretBox = secretBox
        messageIDDomain = URL(string: publicBaseURL)?.host ?? "authd.invalid"
        (nudges, continuation) = AsyncStream.makeStream(of: MailNudge.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Adds a mail of `kind` for `user` to the outbox of `store` (pass the transaction's store). Returns its id.
    @discardableResult
    public func queue(
        _ kind: MailKind,
        to address: String,
        user: User?,
        values: [String: String],
        in store: any AuthStore
    ) async throws -> UUID {
        let id = UUID()
        let now = clock.now()
        var all = values
        all["product"] = all["product"] ?? "authd"
        all["email"] = all["email"] ?? address
        let json = String(
            decoding: try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys]),
            as: UTF8.self
        )
        let payload = try secretBox?.seal(json, context: Self.context(id)) ?? json
        let mail = OutboxMail(
            id: id,
            messageID: id.uuidString.lowercased() + "@" + messageIDDomain,
            kind: kind,
            recipient: address,
            locale: user?.profile.locale,
            payload: payload,
            userID: user?.id,
            createdAt: now,
            nextAttemptAt: now
        )
        try await store.outbox.enqueue(mail)
        return id
    }

    /// The values a queued mail's template is filled with.
    public func values(of mail: OutboxMail) throws -> [String: String] {
        guard let payload = mail.payload else { return [:] }
        let json =
            try secretBox?.open(payload, context: Self.context(mail.id)) ?? SecretBox.openWithoutKey(payload)
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]) ?? [:]
    }

    static func context(_ id: UUID) -> String { "mail_outbox:" + id.uuidString.lowercased() }

    /// Asks the worker to send `ids` now and waits until it tried, or `limit` passed (the mail is sent either way).
    public func deliver(_ ids: [UUID], waitingAtMost limit: Duration) async {
        guard !ids.isEmpty else { return }
        let (stream, finished) = AsyncStream.makeStream(of: Void.self)
        continuation.yield(MailNudge(ids: ids, done: { finished.finish() }))
        guard limit > .zero, workerRunning.withLock({ $0 }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream {} }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// After `deliver`, as long as the configuration says a request may wait.
    public func deliverWithinRequest(_ ids: [UUID]) async {
        await deliver(ids, waitingAtMost: .milliseconds(settings.deliveryWaitMilliseconds))
    }

    /// Called by the worker as it starts and stops: requests wait for it only while it runs.
    public func workerStarted(_ running: Bool) {
        workerRunning.withLock { $0 = running }
    }

    /// The link a mail carries: authd's page, or the application's (`AUTH_LINK_URL_TEMPLATE_*`).
    public func link(_ purpose: EmailTokenPurpose, token: String) -> String {
        // base64url: safe in a URL as it is.
        let encoded = token
        switch purpose {
        case .resetPassword:
            if let template = settings.resetLinkTemplate {
                return template.replacingOccurrences(of: "{token}", with: encoded)
            }
            return publicBaseURL + "/reset-password#token=" + encoded
        case .verifyEmail:
            if let template = settings.verifyLinkTemplate {
                return template.replacingOccurrences(of: "{token}", with: encoded)
            }
            return publicBaseURL + "/verify-email#token=" + encoded
        }
    }
}
