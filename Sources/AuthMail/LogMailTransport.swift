import Logging

/// "Sends" a mail by logging that it was sent: for development and for setups where no mail should leave.
///
/// Only the envelope is logged (kind, recipient, Message-ID, subject), never the body: bodies hold sign-in links
/// and one-time codes, and logs are kept longer and read by more people than a mailbox.
public struct LogMailTransport: MailTransport {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        logger.info(
            "mail sent",
            metadata: [
                "kind": .string(message.kind),
                "to": .string(message.to.address),
                "message_id": .string(message.messageID),
                "subject": .string(message.subject),
            ]
        )
    }
}
