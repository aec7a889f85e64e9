import AuthCore
import AuthMail
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Sends the outbox. Every instance runs one: it claims due mails (its own requests' first, when they nudge it),
/// renders each with the templates in the recipient's language, hands it to the transport and records the outcome.
/// A transient failure is retried with backoff (30 s doubling to an hour) for `AUTH_MAIL_RETRY_WINDOW`; a permanent one,
/// or the end of the window, marks the mail failed, audits `mail.failed` and keeps it for admins to see.
public final class MailOutboxWorker: Service, CustomStringConvertible {
    public var description: String { "MailOutboxWorker" }
    let services: AuthServices
    let transport: any MailTransport
    let templates: MailTemplates
    let from: MailAddress
    let logger: Logger
    /// How long a claim hides a mail from other workers: longer than any send (SMTP timeouts are 30 s a step).
    let lease: TimeInterval = 300
    let batch = 20

    private let sent = Counter(label: "authd_mail_total", dimensions: [("outcome", "sent")])
    private let retried = Counter(label: "authd_mail_total", dimensions: [("outcome", "retry")])
    private let failed = Counter(label: "authd_mail_total", dimensions: [("outcome", "failed")])
    private let depth = Gauge(label: "authd_mail_queue_depth")
    private let oldest = Gauge(label: "authd_mail_oldest_pending_seconds")

    public init(services: AuthServices, transport: any MailTransport, logger: Logger) throws {
        self.services = services
        self.transport = transport
        self.logger = logger
        let settings = services.configuration.mail
        templates = try MailTemplates(overridesDirectory: settings.templatesDirectory)
        guard let from = MailAddress(parsing: settings.from) else {
            throw ConfigurationError(
                variable: "AUTH_MAIL_FROM",
                message: "expected an address, e.g. authd <no-reply@example.com>"
            )
        }
        self.from = from
    }

    public func run() async throws {
        let mailer = services.mailer
        mailer.workerStarted(true)
        defer { mailer.workerStarted(false) }
        let poll = Duration.milliseconds(services.configuration.mail.pollMilliseconds)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await nudge in mailer.nudges.cancelOnGracefulShutdown() {
                    await self.runOnce(preferring: nudge.ids)
                    nudge.done()
                }
            }
            group.addTask {
                try? await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        await self.runOnce()
                        try await Task.sleep(for: poll)
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
        await transport.shutdown()
    }

    /// One round: claims and sends what is due; answers how many mails it handled.
    @discardableResult
    public func runOnce(preferring ids: [UUID] = []) async -> Int {
        let store = services.store
        do {
            let mails = try await store.outbox.claim(
                limit: batch,
                preferring: ids,
                now: services.clock.now(),
                lease: lease
            )
            for mail in mails { await deliver(mail) }
            let backlog = try await store.outbox.backlog()
            depth.record(backlog.pending)
            oldest.record(backlog.oldestPendingAt.map { max(0, services.clock.now().timeIntervalSince($0)) } ?? 0)
            return mails.count
        } catch {
            logger.warning(
                "mail outbox round failed",
                metadata: ["error_type": .string(String(reflecting: type(of: error)))]
            )
            return 0
        }
    }

    func deliver(_ mail: OutboxMail) async {
        let store = services.store
        do {
            let message = try render(mail)
            try await transport.send(message)
            try await store.outbox.markSent(id: mail.id, at: services.clock.now())
            sent.increment()
            logger.info(
                "mail sent",
                metadata: ["kind": .string(mail.kind.rawValue), "mail_id": .string(mail.id.uuidString)]
            )
        } catch let error as MailDeliveryError {
            await record(error, for: mail)
        } catch let error as AuthError where error.kind == .unavailable {
            // The database went away after the send or before it: the lease runs out and the mail is tried again.
            logger.warning("mail outcome not recorded", metadata: ["mail_id": .string(mail.id.uuidString)])
        } catch {
            await record(.permanent("cannot render the mail: \(String(describing: type(of: error)))"), for: mail)
        }
    }

    /// Backoff: 30 s, 1, 2, 4 … minutes, at most an hour, within the retry window.
    static func retryDelay(afterAttempt attempt: Int) -> TimeInterval {
        min(3_600, 30 * pow(2, Double(max(0, attempt - 1))))
    }

    private func record(_ error: MailDeliveryError, for mail: OutboxMail) async {
        let store = services.store
        let now = services.clock.now()
        let message = String(error.description.prefix(500))
        let retryAt = now.addingTimeInterval(Self.retryDelay(afterAttempt: mail.attempts))
        let window = mail.createdAt.addingTimeInterval(TimeInterval(services.configuration.mail.retryWindow))
        do {
            if !error.isPermanent && retryAt < window {
                try await store.outbox.markRetry(id: mail.id, error: message, retryAt: retryAt)
                retried.increment()
                logger.notice(
                    "mail not sent; will retry",
                    metadata: [
                        "mail_id": .string(mail.id.uuidString), "error": .string(message),
                        "attempt": "\(mail.attempts)",
                    ]
                )
                return
            }
            try await store.transaction { tx in
                try await tx.outbox.markFailed(id: mail.id, error: message, at: now)
                let event = self.services.auditLog.event(
                    "mail.failed",
                    .failure,
                    user: mail.userID,
                    meta: RequestMeta(),
                    details: ["kind": mail.kind.rawValue, "mail_id": mail.id.uuidString, "error": message]
                )
                try await self.services.auditLog.record(event, in: tx)
            }
            failed.increment()
            logger.warning(
                "mail failed",
                metadata: ["mail_id": .string(mail.id.uuidString), "error": .string(message)]
            )
        } catch {
            logger.warning("mail outcome not recorded", metadata: ["mail_id": .string(mail.id.uuidString)])
        }
    }

    func render(_ mail: OutboxMail) throws -> MailMessage {
        let rendered = try templates.render(
            kind: mail.kind.rawValue,
            locale: mail.locale,
            values: try services.mailer.values(of: mail)
        )
        return MailMessage(
            messageID: mail.messageID,
            from: from,
            to: MailAddress(address: mail.recipient),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            date: mail.createdAt,
            kind: mail.kind.rawValue
        )
    }
}
