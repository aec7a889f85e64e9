import Foundation

/// An address with an optional display name: `authd <no-reply@example.com>` or `user@example.com`.
public struct MailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <addr@host>` or a bare `addr@host`; nil when there is no plausible address.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard Self.plausible(address) else { return nil }
            self.init(name: name.isEmpty ? nil : name, address: address)
        } else {
            guard Self.plausible(trimmed) else { return nil }
            self.init(address: trimmed)
        }
    }

    static func plausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" })
    }

    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}

/// One mail, ready for a transport: what the templates produced, with a `Message-ID` that stays the same across
/// retries (so a receiving server or a person can see a duplicate for what it is).
public struct MailMessage: Sendable, Equatable {
    /// Without angle brackets: `0F8C...@authd.example.com`.
    public var messageID: String
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String?
    public var date: Date
    /// A name for the kind of mail (`password-reset`): a header `X-Authd-Kind`, the webhook's `kind`.
    public var kind: String

    public init(
        messageID: String,
        from: MailAddress,
        to: MailAddress,
        subject: String,
        text: String,
        html: String?,
        date: Date,
        kind: String
    ) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.kind = kind
    }
}

/// Sends mail. Implementations: `FileMailTransport`, `LogMailTransport`, `SMTPMailTransport`,
/// `WebhookMailTransport`; `MailTransports.make(url:...)` picks one from `AUTH_MAIL_URL`.
public protocol MailTransport: Sendable {
    /// Returns once the message is accepted (written, queued by the SMTP server, answered 2xx by the webhook).
    /// Throws `MailDeliveryError`: `.transient` is worth retrying, `.permanent` is not.
    func send(_ message: MailMessage) async throws
    /// Releases connections and clients; called once at shutdown.
    func shutdown() async
}

extension MailTransport {
    public func shutdown() async {}
}

/// Why a mail was not accepted, with a message that holds no secret (it is shown to admins and logged).
public enum MailDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Worth retrying: a connection refused or dropped, a timeout, an SMTP 4xx, an HTTP 5xx or 429.
    case transient(String)
    /// Retrying would not help: an SMTP 5xx (a bad recipient, authentication refused), an HTTP 4xx.
    case permanent(String)

    public var description: String {
        switch self {
        case .transient(let message): return "transient: \(message)"
        case .permanent(let message): return "permanent: \(message)"
        }
    }

    public var isPermanent: Bool {
        if case .permanent = self { return true }
        return false
    }
}
