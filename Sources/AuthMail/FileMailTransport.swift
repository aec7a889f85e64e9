import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each mail as an `.eml` file: for development, tests and air-gapped setups where someone picks the
/// files up. Files are private to the server's user (directory 0700, files 0600): they hold sign-in links and codes.
///
/// A file appears whole or not at all (written under a temporary name, then renamed), and a retry of the same
/// Message-ID replaces the earlier file instead of adding a second one.
public struct FileMailTransport: MailTransport {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: MailMessage) async throws {
        let data = Array(MIMEWriter.render(message).utf8)
        let directory = self.directory
        try await NIOThreadPool.singleton.runIfActive {
            try Self.writeFile(data, message: message, directory: directory)
        }
    }

    /// `20251202T160405-<message-id>.eml`, the time from the message's date (UTC).
    static func fileName(for message: MailMessage) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: message.date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let stamp =
            pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
            + pad(parts.minute, 2) + pad(parts.second, 2)
        return "\(stamp)-\(sanitizedID(message.messageID)).eml"
    }

    /// The Message-ID as a safe file name part: letters, digits, `.`, `_`, `-` (others become `_`), no leading dot.
    static func sanitizedID(_ messageID: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        var id = String(messageID.prefix(200).map { allowed.contains($0) ? $0 : "_" })
        while id.hasPrefix(".") { id.removeFirst() }
        return id.isEmpty ? "message" : id
    }

    private static func writeFile(_ data: [UInt8], message: MailMessage, directory: String) throws {
        try createDirectory(directory)
        let suffix = "-\(sanitizedID(message.messageID)).eml"
        // A retry may come with another date: reuse the name already written for this Message-ID, if any.
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .first { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
        let name = existing ?? fileName(for: message)
        let finalPath = (directory as NSString).appendingPathComponent(name)
        let tempPath = (directory as NSString).appendingPathComponent(".\(UUID().uuidString).tmp")

        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("could not create a file in the mail directory", errno) }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(tempPath) }
        }
        _ = fchmod(fd, 0o600)
        var written = 0
        while written < data.count {
            let result = data.withUnsafeBytes { write(fd, $0.baseAddress! + written, data.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("could not write the mail file", errno)
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw failure("could not flush the mail file", errno) }
        guard rename(tempPath, finalPath) == 0 else { throw failure("could not rename the mail file", errno) }
        ok = true
    }

    private static func createDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw MailDeliveryError.permanent("mail directory path exists and is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            // The umask may have narrowed the mode; make it exactly owner-only.
            _ = chmod(directory, 0o700)
        } catch {
            throw MailDeliveryError.transient("could not create the mail directory")
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> MailDeliveryError {
        .transient("\(what): \(String(cString: strerror(code)))")
    }
}
