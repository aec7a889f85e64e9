import Foundation
import Logging
import Synchronization
import Testing

@testable import AuthMail

/// A fresh directory under the system's temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("authmail-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Keeps every log record, so a test can look at exactly what was logged.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let records = Mutex<[Record]>([])
    var all: [Record] { records.withLock { $0 } }
    func append(_ record: Record) { records.withLock { $0.append(record) } }

    var logger: Logger {
        Logger(label: "test") { _ in CapturingLogHandler(logs: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(.init(level: event.level, message: event.message.description, metadata: merged))
    }
}

@Suite("File and log transports")
struct LocalTransportTests {
    static let message = MailMessage(
        messageID: "abc123@authd.example.com",
        from: MailAddress(name: "authd", address: "no-reply@example.com"),
        to: MailAddress(address: "user@example.com"),
        subject: "Reset your password",
        text: "Your code: 654321\nhttps://auth.example.com/reset?token=SECRET-TOKEN",
        html: "<p>Your code: 654321</p>",
        date: Date(timeIntervalSince1970: 1_764_691_445),
        kind: "password-reset"
    )

    @Test func fileTransportWritesOnePrivateParseableFile() async throws {
        try await withTemporaryDirectory { base in
            let directory = (base as NSString).appendingPathComponent("outbox")
            let transport = FileMailTransport(directory: directory)
            try await transport.send(Self.message)

            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files == ["20251202T160405-abc123_authd.example.com.eml"])
            let path = (directory as NSString).appendingPathComponent(files[0])
            let content = try String(contentsOfFile: path, encoding: .utf8)
            let (headers, _) = MIMEDecoding.split(content)
            #expect(headers["Message-ID"] == "<abc123@authd.example.com>")
            #expect(headers["Subject"] == "Reset your password")
            #expect(headers["X-Authd-Kind"] == "password-reset")

            let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(fileMode == 0o600)
            let directoryMode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
            #expect(directoryMode == 0o700)
        }
    }

    @Test func fileTransportRetryReplacesInsteadOfDuplicating() async throws {
        try await withTemporaryDirectory { directory in
            let transport = FileMailTransport(directory: directory)
            try await transport.send(Self.message)
            var retry = Self.message
            retry.date = Self.message.date.addingTimeInterval(90)
            retry.subject = "Reset your password (retry)"
            try await transport.send(retry)

            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files.count == 1)
            let content = try String(
                contentsOfFile: (directory as NSString).appendingPathComponent(files[0]),
                encoding: .utf8
            )
            #expect(content.contains("Subject: Reset your password (retry)"))

            var other = Self.message
            other.messageID = "def456@authd.example.com"
            try await transport.send(other)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
        }
    }

    @Test func fileNamesAreSafe() {
        #expect(FileMailTransport.sanitizedID("../../etc/passwd") == "_.._etc_passwd")
        #expect(FileMailTransport.sanitizedID("a b/c@d") == "a_b_c_d")
    }

    @Test func logTransportLogsTheEnvelopeButNeverTheBody() async throws {
        let logs = CapturedLogs()
        let transport = LogMailTransport(logger: logs.logger)
        try await transport.send(Self.message)

        let records = logs.all
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.level == .info)
        #expect(record.message == "mail sent")
        #expect(record.metadata["kind"] == "password-reset")
        #expect(record.metadata["to"] == "user@example.com")
        #expect(record.metadata["message_id"] == "abc123@authd.example.com")
        #expect(record.metadata["subject"] == "Reset your password")
        let everything = records.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!everything.contains("654321"))
        #expect(!everything.contains("SECRET-TOKEN"))
    }
}
