import Foundation
import Logging
import NIOCore
import NIOSSL

/// `AUTH_MAIL_URL` could not be understood. The message names the setting and what is wrong with it, and never
/// repeats the URL (it may hold a password).
public struct MailConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Builds the transport `AUTH_MAIL_URL` asks for.
public enum MailTransports {
    /// - `file://DIR`: one `.eml` file per mail in DIR (`file://./data/outbox` relative, `file:///var/mail` absolute).
    /// - `log`: log that a mail was sent (no body).
    /// - `smtp://user:pass@host:587`: SMTP with STARTTLS, required (port 587 unless given). User and password are
    ///   percent-decoded, so `%40` for `@`.
    /// - `smtps://user:pass@host:465`: SMTP over implicit TLS (port 465 unless given).
    /// - `smtp://host:25?tls=none`: no TLS at all. Only for a relay on the same host or in tests; credentials are
    ///   then refused unless the host is loopback.
    /// - `?tls_ca=/path/ca.pem` (smtp/smtps): trust this CA (PEM) instead of the system's, for a private relay.
    /// - `https://…`: a signed webhook (`webhookSecret` required); `http://` only for a loopback host.
    public static func make(
        url: String,
        from: MailAddress,
        webhookSecret: String?,
        logger: Logger
    ) throws -> any MailTransport {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "log" || lowered == "log:" || lowered == "log://" {
            return LogMailTransport(logger: logger)
        }
        if lowered.hasPrefix("file://") {
            let rawPath = String(trimmed.dropFirst("file://".count))
            guard !rawPath.isEmpty, let path = rawPath.removingPercentEncoding, !path.contains("\0") else {
                throw MailConfigurationError("AUTH_MAIL_URL file:// needs a directory, e.g. file://./data/outbox")
            }
            return FileMailTransport(directory: path)
        }
        if lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") {
            return SMTPMailTransport(configuration: try smtpConfiguration(trimmed), from: from)
        }
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            return try webhook(trimmed, secret: webhookSecret)
        }
        throw MailConfigurationError(
            "AUTH_MAIL_URL must be file://DIR, log, smtp://, smtps:// or https:// (see the mail documentation)"
        )
    }

    static func smtpConfiguration(_ url: String) throws -> SMTPClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw MailConfigurationError("AUTH_MAIL_URL is not a valid smtp:// or smtps:// URL")
        }
        let host = hostName(components)
        guard !host.isEmpty else { throw MailConfigurationError("AUTH_MAIL_URL has no SMTP host") }
        let implicitTLS = scheme == "smtps"
        var security: SMTPClient.Security = implicitTLS ? .implicitTLS : .startTLS
        var tls = TLSConfiguration.makeClientConfiguration()
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("tls", "none") where !implicitTLS:
                security = .plain
            case ("tls", "starttls") where !implicitTLS:
                security = .startTLS
            case ("tls_ca", let path) where !path.isEmpty:
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw MailConfigurationError(
                        "AUTH_MAIL_URL tls_ca: could not read a PEM certificate from that path"
                    )
                }
            case ("tls", _):
                throw MailConfigurationError("AUTH_MAIL_URL tls= must be none or starttls (and is not used with smtps)")
            default:
                throw MailConfigurationError(
                    "AUTH_MAIL_URL has an unknown or empty query parameter (known: tls=none|starttls, tls_ca=PATH)"
                )
            }
        }
        let port = components.port ?? (implicitTLS ? 465 : 587)
        guard (1...65535).contains(port) else { throw MailConfigurationError("AUTH_MAIL_URL has an invalid port") }
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if password != nil && (username ?? "").isEmpty {
            throw MailConfigurationError("AUTH_MAIL_URL has a password but no user name")
        }
        if username != nil, security == .plain, !isLoopback(host: host) {
            throw MailConfigurationError(
                "AUTH_MAIL_URL with tls=none must not carry credentials unless the host is loopback"
            )
        }
        return SMTPClient.Configuration(
            host: host,
            port: port,
            security: security,
            username: (username ?? "").isEmpty ? nil : username,
            password: password,
            tlsConfiguration: tls
        )
    }

    private static func webhook(_ url: String, secret: String?) throws -> any MailTransport {
        guard let components = URLComponents(string: url), !hostName(components).isEmpty else {
            throw MailConfigurationError("AUTH_MAIL_URL is not a valid https:// URL")
        }
        if components.scheme?.lowercased() == "http", !isLoopback(host: hostName(components)) {
            throw MailConfigurationError("AUTH_MAIL_URL must use https:// for a webhook (http:// only for loopback)")
        }
        guard let secret, !secret.isEmpty else {
            throw MailConfigurationError("AUTH_MAIL_URL is a webhook, but no webhook secret is configured")
        }
        guard WebhookMailTransport.signingKey(secret: secret) != nil else {
            throw MailConfigurationError("the webhook secret starts with whsec_ but the rest is not valid base64")
        }
        return WebhookMailTransport(url: url, secret: secret)
    }

    /// The host without the brackets of an IPv6 literal.
    private static func hostName(_ components: URLComponents) -> String {
        var host = components.percentEncodedHost ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.removingPercentEncoding ?? host
    }

    /// `localhost`, 127.0.0.0/8 or ::1: where plaintext (SMTP without TLS, an `http://` webhook) never leaves the
    /// machine.
    public static func isLoopback(host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" { return true }
        guard let address = try? SocketAddress(ipAddress: host, port: 0) else { return false }
        switch address {
        case .v4:
            return host.split(separator: ".").first == "127"
        case .v6:
            return address.ipAddress == "::1"
        default:
            return false
        }
    }
}
