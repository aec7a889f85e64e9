import Dispatch
import Foundation
import NIOCore
import Synchronization

extension MailTransports {
    /// Whether mail could go where `url` points, without sending any (`authd config check`):
    /// - `log`: nothing to reach;
    /// - `file://DIR`: the directory is writable, or can be created;
    /// - `smtp://`, `smtps://`: a TCP connection (TLS first for `smtps`) within `timeout`, and a 220 greeting;
    /// - `https://`: the host name resolves.
    ///
    /// Returns what was found. Throws `MailConfigurationError` for a URL that cannot be used and `MailDeliveryError`
    /// for a destination that does not answer; no message holds the URL's password.
    public static func probe(url: String, timeout: Duration = .seconds(5)) async throws -> String {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "log" || lowered == "log:" || lowered == "log://" {
            return "mails are logged, not sent"
        }
        if lowered.hasPrefix("file://") {
            let path = String(trimmed.dropFirst("file://".count)).removingPercentEncoding ?? ""
            guard !path.isEmpty else {
                throw MailConfigurationError("AUTH_MAIL_URL file:// needs a directory, e.g. file://./data/outbox")
            }
            return try probeDirectory(path)
        }
        if lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") {
            var configuration = try smtpConfiguration(trimmed)
            let nanoseconds =
                timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            configuration.connectTimeout = .nanoseconds(nanoseconds)
            configuration.commandTimeout = .nanoseconds(nanoseconds)
            let greeting = try await SMTPClient(configuration: configuration).probe()
            return "\(configuration.host):\(configuration.port) answered \(greeting)"
        }
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw MailConfigurationError("AUTH_MAIL_URL is not a valid https:// URL")
            }
            let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            let address = try await resolve(bare, port: components.port ?? 443, timeout: timeout)
            return "\(bare) resolves to \(address.ipAddress ?? "an address")"
        }
        throw MailConfigurationError(
            "AUTH_MAIL_URL must be file://DIR, log, smtp://, smtps:// or https:// (see the mail documentation)"
        )
    }

    /// The directory exists and is writable, or its nearest existing ancestor is (it is created at the first mail).
    static func probeDirectory(_ path: String) throws -> String {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw MailDeliveryError.permanent("\(path) is not a directory") }
            guard files.isWritableFile(atPath: path) else {
                throw MailDeliveryError.permanent("directory \(path) is not writable")
            }
            return "directory \(path) is writable"
        }
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !files.fileExists(atPath: ancestor) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        let parent = ancestor.isEmpty ? "." : ancestor
        guard files.isWritableFile(atPath: parent) else {
            throw MailDeliveryError.permanent("directory \(path) does not exist and \(parent) is not writable")
        }
        return "directory \(path) does not exist yet; it will be created in \(parent)"
    }

    /// Resolves `host` on a thread of its own (getaddrinfo blocks), giving up after `timeout`.
    static func resolve(_ host: String, port: Int, timeout: Duration) async throws -> SocketAddress {
        final class Once: Sendable {
            let done = Mutex(false)
            func claim() -> Bool {
                done.withLock { was in
                    defer { was = true }
                    return !was
                }
            }
        }
        let once = Once()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let result = Result { try SocketAddress.makeAddressResolvingHost(host, port: port) }
                if once.claim() {
                    continuation.resume(
                        with: result.mapError { _ in MailDeliveryError.permanent("\(host) does not resolve") }
                    )
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                if once.claim() {
                    continuation.resume(throwing: MailDeliveryError.transient("resolving \(host) timed out"))
                }
            }
        }
    }
}
