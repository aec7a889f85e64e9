import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import AuthMail

/// The SMTP client against a real server on 127.0.0.1: a scripted one that records what went over the wire.
@Suite("SMTPClient")
struct SMTPClientTests {
    static let data = "Subject: test\r\n\r\nHello\r\n"

    static func configuration(
        port: Int,
        security: SMTPClient.Security = .plain,
        username: String? = "user",
        commandTimeout: TimeAmount = .seconds(5)
    ) throws -> SMTPClient.Configuration {
        SMTPClient.Configuration(
            host: "127.0.0.1",
            port: port,
            security: security,
            username: username,
            password: username == nil ? nil : "pass",
            connectTimeout: .seconds(5),
            commandTimeout: commandTimeout,
            tlsConfiguration: try TestCertificates.clientConfiguration()
        )
    }

    /// Runs a send and returns the `MailDeliveryError` it threw (failing the test when it threw none or another).
    static func deliveryError(_ body: () async throws -> Void) async -> MailDeliveryError? {
        do {
            try await body()
            Issue.record("expected a MailDeliveryError")
            return nil
        } catch let error as MailDeliveryError {
            return error
        } catch {
            Issue.record("expected a MailDeliveryError, got \(error)")
            return nil
        }
    }

    @Test func happyPathWithAuthPlain() async throws {
        try await ScriptedSMTPServer.with { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            let plain = Data("\0user\0pass".utf8).base64EncodedString()
            #expect(plain == "AHVzZXIAcGFzcw==")
            #expect(
                server.transcript.commandLines == [
                    "EHLO localhost", "AUTH PLAIN AHVzZXIAcGFzcw==", "MAIL FROM:<from@example.com>",
                    "RCPT TO:<to@example.com>", "DATA", "QUIT",
                ]
            )
            #expect(server.transcript.dataLines == ["Subject: test", "", "Hello"])
        }
    }

    @Test func startTLSUpgradesAndSendsCredentialsOnlyOverTLS() async throws {
        var script = SMTPServerScript()
        script.offerStartTLS = true
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port, security: .startTLS))
            try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            let commands = server.transcript.commands
            #expect(
                commands.map(\.line).prefix(4) == [
                    "EHLO localhost", "STARTTLS", "EHLO localhost", "AUTH PLAIN AHVzZXIAcGFzcw==",
                ]
            )
            #expect(commands.prefix(2).allSatisfy { !$0.tls })
            #expect(commands.dropFirst(2).allSatisfy { $0.tls })
            #expect(commands.filter { !$0.tls }.allSatisfy { $0.line == "EHLO localhost" || $0.line == "STARTTLS" })
            #expect(server.transcript.dataLines == ["Subject: test", "", "Hello"])
        }
    }

    @Test func noStartTLSOfferedIsPermanentAndSendsNothing() async throws {
        try await ScriptedSMTPServer.with { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port, security: .startTLS))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error == .permanent("server does not offer STARTTLS"))
            #expect(server.transcript.commandLines == ["EHLO localhost"])
        }
    }

    @Test func injectedReplyAfterStartTLSAbortsBeforeCredentials() async throws {
        var script = SMTPServerScript()
        script.offerStartTLS = true
        script.injectAfterStartTLS = true
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port, security: .startTLS))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error?.isPermanent == false)
            #expect(!server.transcript.commandLines.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") })
        }
    }

    @Test func authLoginWhenPlainIsNotOffered() async throws {
        var script = SMTPServerScript()
        script.extensions = ["AUTH LOGIN"]
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            #expect(
                Array(server.transcript.commandLines.prefix(4)) == [
                    "EHLO localhost", "AUTH LOGIN", "dXNlcg==", "cGFzcw==",
                ]
            )
            #expect(server.transcript.commandLines.last == "QUIT")
        }
    }

    @Test func rejectedCredentialsArePermanentAndNotInTheMessage() async throws {
        var script = SMTPServerScript()
        script.replies["AUTH"] = "535 5.7.8 Authentication credentials invalid"
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error?.isPermanent == true)
            #expect(error?.description.contains("SMTP 535 after AUTH") == true)
            #expect(error?.description.contains("pass") == false)
            #expect(error?.description.contains("AHVzZXIAcGFzcw") == false)
            #expect(!server.transcript.commandLines.contains { $0.hasPrefix("MAIL") })
        }
    }

    @Test func temporaryFailureAtRecipientIsTransient() async throws {
        var script = SMTPServerScript()
        script.replies["RCPT"] = "451 4.3.0 try again later"
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error == .transient("SMTP 451 after RCPT: 4.3.0 try again later"))
            #expect(!server.transcript.commandLines.contains("DATA"))
        }
    }

    @Test func rejectedRecipientIsPermanent() async throws {
        var script = SMTPServerScript()
        script.replies["RCPT"] = "550 5.1.1 no such user"
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error == .permanent("SMTP 550 after RCPT: 5.1.1 no such user"))
        }
    }

    @Test func connectionDroppedDuringDataIsTransient() async throws {
        var script = SMTPServerScript()
        script.dropDuringData = true
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            let error = await Self.deliveryError {
                try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error?.isPermanent == false)
        }
    }

    @Test func silentServerTimesOut() async throws {
        var script = SMTPServerScript()
        script.greeting = nil
        try await ScriptedSMTPServer.with(script) { server in
            let configuration = try Self.configuration(port: server.port, commandTimeout: .milliseconds(300))
            let started = ContinuousClock.now
            let error = await Self.deliveryError {
                try await SMTPClient(configuration: configuration)
                    .send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error == .transient("SMTP timed out waiting for a reply to greeting"))
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        // Bind a port, then free it: nothing listens there any more.
        let server = try await ScriptedSMTPServer.start()
        let port = server.port
        await server.stop()
        let client = SMTPClient(configuration: try Self.configuration(port: port))
        let error = await Self.deliveryError {
            try await client.send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
        }
        #expect(error == .transient("could not connect to SMTP server 127.0.0.1:\(port)"))
    }

    @Test func dotStuffingAndLineEndingsOnTheWire() async throws {
        try await ScriptedSMTPServer.with { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port))
            let data = "Subject: dots\r\n\r\n.hidden\r\nbare\nline\n..two\r\n.\r\nend"
            try await client.send(from: "from@example.com", to: ["to@example.com"], data: data)
            #expect(
                server.transcript.dataLines == ["Subject: dots", "", "..hidden", "bare", "line", "...two", "..", "end"]
            )
            #expect(server.transcript.commandLines.last == "QUIT")
        }
    }

    @Test func dotStuffedBytes() {
        let bytes = SMTPSession.dotStuffed(".a\nb\r\n")
        #expect(String(decoding: bytes, as: UTF8.self) == "..a\r\nb\r\n.\r\n")
    }

    @Test func implicitTLS() async throws {
        var script = SMTPServerScript()
        script.implicitTLS = true
        try await ScriptedSMTPServer.with(script) { server in
            let client = SMTPClient(configuration: try Self.configuration(port: server.port, security: .implicitTLS))
            try await client.send(from: "from@example.com", to: ["a@example.com", "b@example.com"], data: Self.data)
            let commands = server.transcript.commands
            #expect(commands.allSatisfy { $0.tls })
            #expect(commands.map(\.line).contains("RCPT TO:<b@example.com>"))
            #expect(server.transcript.dataLines == ["Subject: test", "", "Hello"])
        }
    }

    @Test func implicitTLSByHostNameUsesSNIAndChecksTheName() async throws {
        var script = SMTPServerScript()
        script.implicitTLS = true
        try await ScriptedSMTPServer.with(script) { server in
            var configuration = try Self.configuration(port: server.port, security: .implicitTLS)
            configuration.host = "localhost"
            try await SMTPClient(configuration: configuration)
                .send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            #expect(server.transcript.commandLines.last == "QUIT")
        }
    }

    #if os(Linux)
    /// 127.0.0.2 is loopback on Linux but not in the certificate: a name mismatch must not be retried.
    @Test func certificateForAnotherNameIsPermanent() async throws {
        var script = SMTPServerScript()
        script.implicitTLS = true
        try await ScriptedSMTPServer.with(script, host: "127.0.0.2") { server in
            var configuration = try Self.configuration(port: server.port, security: .implicitTLS)
            configuration.host = "127.0.0.2"
            let error = await Self.deliveryError {
                try await SMTPClient(configuration: configuration)
                    .send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error?.isPermanent == true)
            #expect(error?.description.contains("certificate") == true)
        }
    }
    #endif

    @Test func untrustedCertificateIsPermanent() async throws {
        var script = SMTPServerScript()
        script.implicitTLS = true
        try await ScriptedSMTPServer.with(script) { server in
            var configuration = try Self.configuration(port: server.port, security: .implicitTLS)
            configuration.tlsConfiguration = .makeClientConfiguration()
            let error = await Self.deliveryError {
                try await SMTPClient(configuration: configuration)
                    .send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
            }
            #expect(error?.isPermanent == true)
            #expect(error?.description.contains("certificate") == true)
            #expect(server.transcript.commands.isEmpty)
        }
    }

    @Test func credentialsAreNeverSentInPlaintextToARemoteHost() async throws {
        let configuration = SMTPClient.Configuration(
            host: "mail.example.com",
            port: 25,
            security: .plain,
            username: "user",
            password: "pass"
        )
        let error = await Self.deliveryError {
            try await SMTPClient(configuration: configuration)
                .send(from: "from@example.com", to: ["to@example.com"], data: Self.data)
        }
        #expect(error?.isPermanent == true)
    }

    @Test func envelopeAddressesCannotInjectCommands() async throws {
        let client = SMTPClient(configuration: try Self.configuration(port: 1))
        let error = await Self.deliveryError {
            try await client.send(from: "a@example.com>\r\nRCPT TO:<b@example.com", to: ["to@example.com"], data: "")
        }
        #expect(error == .permanent("invalid envelope address"))
    }
}
