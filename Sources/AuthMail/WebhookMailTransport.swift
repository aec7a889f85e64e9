import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Hands each mail to an HTTP endpoint (a mail API, a queue, a chat bridge) as one signed JSON `POST`.
///
/// Signed as Standard Webhooks do it (`webhook-id`, `webhook-timestamp`, `webhook-signature`), so receivers can
/// use an existing verifier. `webhook-id` is the Message-ID, the same on every retry, so a receiver can drop
/// duplicates. The JSON carries the whole mail, links and codes included: the URL must be HTTPS (plain HTTP is
/// accepted only for loopback) and the receiver must check the signature.
public struct WebhookMailTransport: MailTransport {
    public let url: String
    private let key: [UInt8]
    private let httpClient: HTTPClient
    /// For the whole request, connecting included (AsyncHTTPClient keeps retrying a refused connection until then).
    public let timeout: TimeAmount

    /// - Parameters:
    ///   - secret: `whsec_<base64>` (the key is the decoded bytes) or any other string (the key is its UTF-8).
    ///   - httpClient: defaults to `HTTPClient.shared`. A client passed here stays the caller's to shut down.
    public init(url: String, secret: String, httpClient: HTTPClient? = nil, timeout: TimeAmount = .seconds(30)) {
        self.url = url
        self.timeout = timeout
        self.key = Self.signingKey(secret: secret) ?? Array(secret.utf8)
        self.httpClient = httpClient ?? .shared
    }

    public func send(_ message: MailMessage) async throws {
        let body = try Self.body(for: message)
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "webhook-id", value: message.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: Self.signature(key: key, id: message.messageID, timestamp: timestamp, body: body)
        )
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: UInt
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            status = response.status.code
            // Read (a bounded amount of) the answer so the connection can be reused; its content is not needed.
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw MailDeliveryError.transient("webhook did not answer within \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            throw MailDeliveryError.transient("webhook request failed (\(type(of: error)))")
        }
        try Self.check(status: status)
    }

    /// 2xx: delivered. 408, 429 and 5xx: try again later. Anything else (other 4xx, an unfollowed redirect): the
    /// request itself is wrong (URL, secret), and sending it again will not help.
    static func check(status: UInt) throws {
        switch status {
        case 200..<300: return
        case 408, 429, 500..<600: throw MailDeliveryError.transient("webhook answered HTTP \(status)")
        default: throw MailDeliveryError.permanent("webhook answered HTTP \(status)")
        }
    }

    /// The key from a `whsec_` secret (base64 after the prefix); nil when that base64 is invalid. Any other
    /// secret is used as its UTF-8 bytes.
    static func signingKey(secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_") else { return Array(secret.utf8) }
        guard let data = Data(base64Encoded: String(secret.dropFirst("whsec_".count))), !data.isEmpty else {
            return nil
        }
        return Array(data)
    }

    /// `v1,` + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), per Standard Webhooks.
    static func signature(key: [UInt8], id: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The JSON body: `id`, `kind`, `from`, `to` (as `Name <address>`), `subject`, `text`, `html` (null when there
    /// is none) and `date` (RFC 3339, UTC).
    static func body(for message: MailMessage) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(Payload(message)))
        } catch {
            throw MailDeliveryError.permanent("mail could not be encoded as JSON")
        }
    }

    private struct Payload: Encodable {
        var id, kind, from, to, subject, text: String
        var html: String?
        var date: String

        init(_ message: MailMessage) {
            id = message.messageID
            kind = message.kind
            from = message.from.description
            to = message.to.description
            subject = message.subject
            text = message.text
            html = message.html
            date = message.date.formatted(.iso8601)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(kind, forKey: .kind)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(subject, forKey: .subject)
            try container.encode(text, forKey: .text)
            try container.encode(html, forKey: .html)
            try container.encode(date, forKey: .date)
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, from, to, subject, text, html, date
        }
    }
}

extension WebhookMailTransport: CustomStringConvertible, CustomDebugStringConvertible {
    /// Scheme and host only: the path or query of a webhook URL may hold a token, and the key must never show.
    public var description: String {
        let components = URLComponents(string: url)
        return "WebhookMailTransport(\(components?.scheme ?? "?")://\(components?.host ?? "?"))"
    }

    public var debugDescription: String { description }
}
