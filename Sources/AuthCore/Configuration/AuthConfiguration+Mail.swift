import Foundation

/// Mail: where it goes, what the links in it open, and the limits on the flows that send it.
public struct MailSettings: Sendable, Equatable {
    /// `AUTH_MAIL_URL`: `file://DIR` (each mail an `.eml` file), `smtp://…` (STARTTLS), `smtps://…`, `https://…`
    /// (a signed webhook per mail) or `log`.
    public var url: String = "file://./data/outbox"
    /// `AUTH_MAIL_FROM`.
    public var from: String = "authd <no-reply@localhost>"
    /// `AUTH_MAIL_WEBHOOK_SECRET`: signs webhook deliveries (Standard Webhooks; `whsec_` + base64, or any string).
    public var webhookSecret: String?
    /// `AUTH_PUBLIC_URL`: the base of the links in mails; the issuer when unset.
    public var publicURL: String?
    /// `AUTH_MAIL_TEMPLATES_DIR`: templates that replace the built-in ones (`<kind>.<locale>.<part>.mustache`).
    public var templatesDirectory: String?
    /// `AUTH_LINK_URL_TEMPLATE_RESET` / `_VERIFY`: the application's own pages, `{token}` standing for the token.
    public var resetLinkTemplate: String?
    public var verifyLinkTemplate: String?
    /// `AUTH_EMAIL_VERIFICATION_REQUIRED`: an unverified user cannot log in (`email_not_verified`).
    public var verificationRequired: Bool = false
    /// Lifetimes of a reset and of a verification (seconds).
    public var resetTTL: Int = 3_600
    public var verificationTTL: Int = 86_400
    /// Mails of one kind to one address: at most this many a minute and an hour; the rest are dropped silently
    /// (telling the caller would tell it whether the address has an account).
    public var perAddressPerMinute: Int = 1
    public var perAddressPerHour: Int = 5
    /// `AUTH_FORGOT_RESPONSE_MS`: `POST /auth/password/forgot` answers no sooner than this, whether or not the email
    /// has an account, so its timing tells nothing; a mail that takes longer to send is finished in the background.
    public var forgotResponseMilliseconds: Int = 300
    /// How long a request that queued a mail waits for the worker to send it before answering (the mail is sent
    /// either way; waiting makes "the mail is there when the 202 arrives" true for local transports).
    public var deliveryWaitMilliseconds: Int = 2_000
    /// A mail that could not be sent is retried with backoff for this long, then marked failed.
    public var retryWindow: Int = 86_400
    /// How often each instance looks for due mail besides the nudges of its own requests.
    public var pollMilliseconds: Int = 2_000

    public init() {}
}

extension AuthConfiguration {
    /// The base of the links in mails.
    public var publicBaseURL: String {
        var base = mail.publicURL ?? issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    static func readMail(_ reader: EnvironmentReader, into c: inout AuthConfiguration) throws {
        var m = c.mail
        m.url = try reader.string("AUTH_MAIL_URL", default: m.url)
        m.from = try reader.string("AUTH_MAIL_FROM", default: m.from)
        m.webhookSecret = try reader.string("AUTH_MAIL_WEBHOOK_SECRET")
        m.publicURL = try reader.string("AUTH_PUBLIC_URL")
        m.templatesDirectory = try reader.string("AUTH_MAIL_TEMPLATES_DIR")
        m.resetLinkTemplate = try reader.string("AUTH_LINK_URL_TEMPLATE_RESET")
        m.verifyLinkTemplate = try reader.string("AUTH_LINK_URL_TEMPLATE_VERIFY")
        try reader.bool("AUTH_EMAIL_VERIFICATION_REQUIRED", into: &m, \.verificationRequired)
        try reader.int("AUTH_PASSWORD_RESET_TTL", into: &m, \.resetTTL, range: 60...7 * 86_400)
        try reader.int("AUTH_EMAIL_VERIFICATION_TTL", into: &m, \.verificationTTL, range: 60...30 * 86_400)
        try reader.int("AUTH_MAIL_PER_ADDRESS_PER_MINUTE", into: &m, \.perAddressPerMinute, range: 1...1_000)
        try reader.int("AUTH_MAIL_PER_ADDRESS_PER_HOUR", into: &m, \.perAddressPerHour, range: 1...10_000)
        try reader.int("AUTH_FORGOT_RESPONSE_MS", into: &m, \.forgotResponseMilliseconds, range: 0...10_000)
        try reader.int("AUTH_MAIL_RETRY_WINDOW", into: &m, \.retryWindow, range: 60...7 * 86_400)
        try reader.int("AUTH_MAIL_POLL_MS", into: &m, \.pollMilliseconds, range: 50...600_000)
        try reader.int("AUTH_RATE_LIMIT_MAIL_PER_MINUTE", into: &c, \.rateLimits.mail, range: 1...1_000_000)
        for (name, template) in [
            ("AUTH_LINK_URL_TEMPLATE_RESET", m.resetLinkTemplate),
            ("AUTH_LINK_URL_TEMPLATE_VERIFY", m.verifyLinkTemplate),
        ] {
            guard let template else { continue }
            guard template.contains("{token}"),
                let url = URL(string: template.replacingOccurrences(of: "{token}", with: "t")),
                url.scheme == "https" || url.scheme == "http"
            else {
                try reader.report(
                    ConfigurationError(
                        variable: name,
                        message:
                            "must be an http(s) URL containing {token}, e.g. https://app.example.com/reset#token={token}"
                    )
                )
                continue
            }
        }
        if let publicURL = m.publicURL {
            let url = URL(string: publicURL)
            if !(url?.scheme == "https" || url?.scheme == "http") || url?.host == nil {
                try reader.report(
                    ConfigurationError(variable: "AUTH_PUBLIC_URL", message: "must be an absolute http(s) URL")
                )
                m.publicURL = nil
            }
        }
        c.mail = m
        try reader.int("AUTH_CONSOLE_IDLE_TIMEOUT", into: &c, \.consoleIdleTimeout, range: 60...86_400)
    }
}
