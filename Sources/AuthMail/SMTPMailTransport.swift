/// Sends mail through an SMTP submission server (`smtp://` with STARTTLS, `smtps://` with implicit TLS).
///
/// One connection per mail (see `SMTPClient`): authd sends few mails, and a fresh connection can't go stale.
public struct SMTPMailTransport: MailTransport {
    public let client: SMTPClient
    /// The configured sender, used for the envelope (`MAIL FROM`) when a message has no from address of its own.
    public let from: MailAddress

    public init(configuration: SMTPClient.Configuration, from: MailAddress) {
        self.client = SMTPClient(configuration: configuration)
        self.from = from
    }

    public func send(_ message: MailMessage) async throws {
        let sender = message.from.address.isEmpty ? from.address : message.from.address
        try await client.send(from: sender, to: [message.to.address], data: MIMEWriter.render(message))
    }
}
