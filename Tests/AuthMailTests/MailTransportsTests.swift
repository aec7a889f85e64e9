import Foundation
import Logging
import NIOSSL
import Testing

@testable import AuthMail

@Suite("MailTransports.make")
struct MailTransportsTests {
    static let from = MailAddress(name: "authd", address: "no-reply@example.com")

    static func make(_ url: String, secret: String? = nil) throws -> any MailTransport {
        try MailTransports.make(url: url, from: from, webhookSecret: secret, logger: Logger(label: "test"))
    }

    /// The configuration error for `url`, checked to name AUTH_MAIL_URL and not to repeat the password.
    static func configurationError(_ url: String, secret: String? = "s", password: String = "s3cr3t") -> String? {
        do {
            _ = try make(url, secret: secret)
            Issue.record("expected \(url) to be refused")
            return nil
        } catch let error as MailConfigurationError {
            #expect(error.description.contains("AUTH_MAIL_URL") || error.description.contains("webhook secret"))
            #expect(!error.description.contains(password))
            #expect(!"\(error)".contains(password))
            return error.description
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func fileURLs() throws {
        #expect((try Self.make("file://./data/outbox") as? FileMailTransport)?.directory == "./data/outbox")
        #expect((try Self.make("file:///tmp/x") as? FileMailTransport)?.directory == "/tmp/x")
        #expect((try Self.make("file:///tmp/with%20space") as? FileMailTransport)?.directory == "/tmp/with space")
    }

    @Test func logURL() throws {
        #expect(try Self.make("log") is LogMailTransport)
    }

    @Test func smtpWithStartTLS() throws {
        let transport = try #require(
            try Self.make("smtp://user%40example.com:p%40ss%3Aw0rd@mail.example.com") as? SMTPMailTransport
        )
        let configuration = transport.client.configuration
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLS)
        #expect(configuration.username == "user@example.com")
        #expect(configuration.password == "p@ss:w0rd")
        #expect(transport.from == Self.from)
    }

    @Test func smtpsWithImplicitTLS() throws {
        let transport = try #require(try Self.make("smtps://user:pass@mail.example.com") as? SMTPMailTransport)
        #expect(transport.client.configuration.port == 465)
        #expect(transport.client.configuration.security == .implicitTLS)
        let custom = try #require(try Self.make("smtps://mail.example.com:2465") as? SMTPMailTransport)
        #expect(custom.client.configuration.port == 2465)
        #expect(custom.client.configuration.username == nil)
    }

    @Test func smtpWithoutTLSForLocalRelays() throws {
        let transport = try #require(try Self.make("smtp://127.0.0.1:25?tls=none") as? SMTPMailTransport)
        #expect(transport.client.configuration.security == .plain)
        #expect(transport.client.configuration.port == 25)
        // Credentials in plaintext: only to loopback.
        #expect(try Self.make("smtp://user:pass@localhost:25?tls=none") is SMTPMailTransport)
        _ = Self.configurationError("smtp://user:s3cr3t@mail.example.com:25?tls=none")
    }

    @Test func privateCertificateAuthority() throws {
        try withTemporaryFile(TestCertificates.certificatePEM) { path in
            let transport = try #require(try Self.make("smtp://mail.internal?tls_ca=\(path)") as? SMTPMailTransport)
            let expected = NIOSSLTrustRoots.certificates([try TestCertificates.certificate()])
            #expect(transport.client.configuration.tlsConfiguration.trustRoots == expected)
        }
        _ = Self.configurationError("smtp://user:s3cr3t@mail.example.com?tls_ca=/nonexistent/ca.pem")
    }

    @Test func webhooks() throws {
        let transport = try #require(
            try Self.make("https://hooks.example.com/mail", secret: "whsec_AAAA") as? WebhookMailTransport
        )
        #expect(transport.url == "https://hooks.example.com/mail")
        #expect(try Self.make("http://127.0.0.1:8080/mail", secret: "x") is WebhookMailTransport)
        #expect(Self.configurationError("http://hooks.example.com/mail")?.contains("https") == true)
        #expect(Self.configurationError("https://hooks.example.com/mail", secret: nil) != nil)
        #expect(Self.configurationError("https://hooks.example.com/mail", secret: "whsec_***") != nil)
    }

    @Test func errorsNeverEchoThePassword() {
        let urls = [
            "ftp://user:s3cr3t@example.com", "smtp://user:s3cr3t@", "smtp://user:s3cr3t@host?tls=maybe",
            "smtp://user:s3cr3t@host?s3cr3t=1", "smtp://user:s3cr3t@host:99999", "smtps://user:s3cr3t@host?tls=none",
            "user:s3cr3t@host", "", "file://", "smtp://:s3cr3t@host",
        ]
        for url in urls {
            #expect(Self.configurationError(url) != nil, "\(url)")
        }
    }

    @Test func loopbackHosts() {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "LOCALHOST"] {
            #expect(MailTransports.isLoopback(host: host), "\(host)")
        }
        for host in ["example.com", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com", "127.example.com"] {
            #expect(!MailTransports.isLoopback(host: host), "\(host)")
        }
    }
}

func withTemporaryFile(_ content: String, _ body: (String) throws -> Void) throws {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("authmail-\(UUID().uuidString).pem")
    try content.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}

@Test func printingATransportNeverShowsSecrets() throws {
    let smtp = try MailTransportsTests.make("smtp://user:s3cr3t@mail.example.com")
    let webhook = try MailTransportsTests.make("https://hooks.example.com/mail?token=t0k3n", secret: "s3cr3t")
    for text in ["\(smtp)", String(reflecting: smtp), "\(webhook)", String(reflecting: webhook)] {
        #expect(!text.contains("s3cr3t") && !text.contains("t0k3n"), "\(text)")
    }
}
