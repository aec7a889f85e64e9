import Foundation
import Testing

@testable import AuthMail

/// Decoders written independently of the encoders, so the tests check the format, not the code against itself.
enum MIMEDecoding {
    /// Quoted-printable to bytes: `=XX` → byte, `=` CRLF → nothing (soft break), CRLF kept.
    static func quotedPrintable(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
                    index += 3
                    continue
                }
                let hex = String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self)
                output.append(UInt8(hex, radix: 16)!)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Joins the `=?UTF-8?B?…?=` words of a header value (the folding between them is dropped).
    static func encodedWords(_ value: String) -> String {
        var result: [UInt8] = []
        var rest = Substring(value)
        while let start = rest.range(of: "=?UTF-8?B?"), let end = rest[start.upperBound...].range(of: "?=") {
            result += Data(base64Encoded: String(rest[start.upperBound..<end.lowerBound]))!
            rest = rest[end.upperBound...]
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Headers (unfolded) and body of a message or a part.
    static func split(_ message: String) -> (headers: [String: String], body: String) {
        let range = message.range(of: "\r\n\r\n")!
        let unfolded = message[..<range.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
        var headers: [String: String] = [:]
        for line in unfolded.components(separatedBy: "\r\n") {
            let colon = line.firstIndex(of: ":")!
            headers[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(
                in: .whitespaces
            )
        }
        return (headers, String(message[range.upperBound...]))
    }
}

@Suite("MIMEWriter")
struct MIMEWriterTests {
    static let longLine = String(repeating: "Grüße aus Köln, bitte = nicht vergessen! ", count: 5) + "   "
    static let message = MailMessage(
        messageID: "0F8C1A@authd.example.com",
        from: MailAddress(name: "authd", address: "no-reply@example.com"),
        to: MailAddress(name: "Jörg Müller", address: "joerg@example.com"),
        subject: "Bestätigen Sie Ihre E-Mail-Adresse für Ääkkönen Beispiel GmbH & Co. KG – jetzt",
        text: "Hallo,\n\n" + longLine + "\r\nCode: 123456\nTrailing tab\t",
        html: "<p>Hallo <b>Jörg</b></p>\n<p>" + longLine + "</p>",
        date: Date(timeIntervalSince1970: 1_764_691_445),  // 2025-12-02 16:04:05 UTC
        kind: "verify-email"
    )

    @Test func headersAndStructure() throws {
        let rendered = MIMEWriter.render(Self.message, boundary: "=_authd_test")
        let (headers, body) = MIMEDecoding.split(rendered)
        #expect(headers["Date"] == "Tue, 02 Dec 2025 16:04:05 +0000")
        #expect(headers["From"] == "authd <no-reply@example.com>")
        #expect(headers["Message-ID"] == "<0F8C1A@authd.example.com>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["X-Authd-Kind"] == "verify-email")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["Content-Type"] == "multipart/alternative; boundary=\"=_authd_test\"")
        let to = try #require(headers["To"])
        #expect(to.hasSuffix(" <joerg@example.com>"))
        #expect(MIMEDecoding.encodedWords(to) == "Jörg Müller")
        let parts = body.components(separatedBy: "\r\n--=_authd_test")
        #expect(parts.count == 4)
        #expect(parts[1].contains("Content-Type: text/plain; charset=utf-8"))
        #expect(parts[2].contains("Content-Type: text/html; charset=utf-8"))
        #expect(parts[3] == "--\r\n")
    }

    @Test func onlyCRLFLineEndingsAndShortLines() {
        let rendered = MIMEWriter.render(Self.message)
        let bytes = Array(rendered.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13) }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10) }
            #expect(byte < 128)
        }
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78)
        }
    }

    @Test func quotedPrintableRoundTrip() throws {
        let rendered = MIMEWriter.render(Self.message, boundary: "=_authd_test")
        let parts = MIMEDecoding.split(rendered).body.components(separatedBy: "\r\n--=_authd_test\r\n")
        let text = MIMEDecoding.split(parts[1])
        #expect(text.headers["Content-Transfer-Encoding"] == "quoted-printable")
        let expected = Self.message.text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
        #expect(MIMEDecoding.quotedPrintable(text.body) == expected)
        let html = MIMEDecoding.split(parts[2].components(separatedBy: "\r\n--=_authd_test--")[0])
        #expect(
            MIMEDecoding.quotedPrintable(html.body) == Self.message.html!.replacingOccurrences(of: "\n", with: "\r\n")
        )
        for line in text.body.components(separatedBy: "\r\n") {
            #expect(line.count <= 76)
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
        }
    }

    @Test func quotedPrintableEdges() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
        #expect(QuotedPrintable.encode("end \nx") == "end=20\r\nx")
        #expect(QuotedPrintable.encode("ä") == "=C3=A4")
        let long = String(repeating: "x", count: 200)
        let encoded = QuotedPrintable.encode(long)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(MIMEDecoding.quotedPrintable(encoded) == long)
        // An escape is never split by a soft break.
        let umlauts = String(repeating: "ü", count: 60)
        let encodedUmlauts = QuotedPrintable.encode(umlauts)
        #expect(encodedUmlauts.components(separatedBy: "=\r\n").allSatisfy { $0.count % 3 == 0 })
        #expect(MIMEDecoding.quotedPrintable(encodedUmlauts) == umlauts)
    }

    @Test func encodedWordSubject() throws {
        let (headers, _) = MIMEDecoding.split(MIMEWriter.render(Self.message))
        let subject = try #require(headers["Subject"])
        #expect(subject.hasPrefix("=?UTF-8?B?"))
        #expect(MIMEDecoding.encodedWords(subject) == Self.message.subject)
        var ascii = Self.message
        ascii.subject = "Confirm your email address"
        #expect(MIMEDecoding.split(MIMEWriter.render(ascii)).headers["Subject"] == "Confirm your email address")
    }

    @Test func headerInjectionIsStripped() {
        var message = Self.message
        message.subject = "Hello\r\nBcc: victim@example.com"
        message.to = MailAddress(name: "Eve\r\nX-Evil: 1", address: "eve@example.com\r\nCc: other@example.com")
        message.messageID = "id@x\r\nX-Evil: 2"
        let rendered = MIMEWriter.render(message)
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") {
            #expect(!line.hasPrefix("Bcc:") && !line.hasPrefix("X-Evil:") && !line.hasPrefix("Cc:"))
        }
        #expect(head.contains("Subject: HelloBcc: victim@example.com"))
    }

    @Test func textOnlyWithoutHTML() {
        var message = Self.message
        message.html = nil
        let (headers, body) = MIMEDecoding.split(MIMEWriter.render(message))
        #expect(headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(headers["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(!body.contains("--=_authd_"))
        #expect(
            MIMEDecoding.quotedPrintable(body) == message.text.replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        )
    }

    @Test func quotedDisplayNames() {
        #expect(
            HeaderEncoding.address(MailAddress(name: "Doe, John", address: "j@example.com"))
                == "\"Doe, John\" <j@example.com>"
        )
        #expect(HeaderEncoding.address(MailAddress(address: "j@example.com")) == "j@example.com")
    }
}
