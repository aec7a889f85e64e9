import Foundation

/// Turns a `MailMessage` into the RFC 5322 text that goes on the wire (SMTP `DATA`) or into an `.eml` file.
///
/// The output is 7-bit clean with CRLF line endings: headers use RFC 2047 encoded-words for anything beyond
/// printable ASCII, bodies are quoted-printable UTF-8. It is not dot-stuffed: that belongs to the SMTP layer.
public enum MIMEWriter {
    /// Renders `message`: a `multipart/alternative` (text, then html) when there is html, else a single
    /// `text/plain` part.
    public static func render(_ message: MailMessage) -> String {
        render(message, boundary: makeBoundary())
    }

    /// `render(_:)` with a chosen boundary, so tests can predict the output.
    static func render(_ message: MailMessage, boundary: String) -> String {
        var headers: [(String, String)] = [
            ("Date", HeaderEncoding.date(message.date)),
            ("From", HeaderEncoding.address(message.from)),
            ("To", HeaderEncoding.address(message.to)),
            ("Subject", HeaderEncoding.unstructured(message.subject, headerName: "Subject")),
            ("Message-ID", "<\(token(message.messageID))>"),
            ("MIME-Version", "1.0"),
            ("X-Authd-Kind", token(message.kind)),
            // RFC 3834: tells auto-responders (vacation replies) not to answer.
            ("Auto-Submitted", "auto-generated"),
        ]
        var body = ""
        if let html = message.html {
            // Folded: on one line the header would pass 78 characters.
            headers.append(("Content-Type", "multipart/alternative;\r\n boundary=\"\(boundary)\""))
            body += "This is a multi-part message in MIME format.\r\n"
            body += "\r\n--\(boundary)\r\n" + part(subtype: "plain", content: message.text)
            body += "\r\n--\(boundary)\r\n" + part(subtype: "html", content: html)
            body += "\r\n--\(boundary)--\r\n"
        } else {
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
            headers.append(("Content-Transfer-Encoding", "quoted-printable"))
            body += QuotedPrintable.encode(message.text) + "\r\n"
        }
        let head = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        return head + "\r\n" + body
    }

    /// One body part: its headers, a blank line and the quoted-printable content (no final line break: the
    /// boundary delimiter that follows starts with its own CRLF).
    private static func part(subtype: String, content: String) -> String {
        "Content-Type: text/\(subtype); charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + QuotedPrintable.encode(content)
    }

    /// A structured token (Message-ID, kind): no controls, no whitespace, no angle brackets.
    private static func token(_ value: String) -> String {
        HeaderEncoding.sanitize(value).filter { !$0.isWhitespace && $0 != "<" && $0 != ">" }
    }

    /// A fresh random boundary. `=_` cannot occur in quoted-printable text (a `=` there is followed by two hex
    /// digits or a line break), so the boundary can never collide with a line of the encoded bodies.
    static func makeBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        return "=_authd_" + random.joined()
    }
}
