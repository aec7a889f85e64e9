import AuthMail
import Foundation
import Synchronization

/// A mail transport that keeps what it is given, and can be told to fail: the tests' inbox.
final class CapturingMailTransport: MailTransport {
    private let state = Mutex<(sent: [MailMessage], failures: [MailDeliveryError])>(([], []))

    func send(_ message: MailMessage) async throws {
        let failure: MailDeliveryError? = state.withLock { s in
            if !s.failures.isEmpty { return s.failures.removeFirst() }
            s.sent.append(message)
            return nil
        }
        if let failure { throw failure }
    }

    /// The next `count` sends fail with `error`.
    func fail(_ count: Int, with error: MailDeliveryError) {
        state.withLock { $0.failures += Array(repeating: error, count: count) }
    }

    var sent: [MailMessage] { state.withLock { $0.sent } }

    func mails(to address: String) -> [MailMessage] {
        sent.filter { $0.to.address.lowercased() == address.lowercased() }
    }

    /// Waits (up to 5 s) until `address` has received at least `count` mails of `kind`, and returns them.
    func waitFor(_ kind: String, to address: String, count: Int = 1) async throws -> [MailMessage] {
        for _ in 0..<500 {
            let found = mails(to: address).filter { $0.kind == kind }
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CapturedMailMissing(kind: kind, address: address)
    }

    struct CapturedMailMissing: Error {
        let kind: String
        let address: String
    }
}

extension MailMessage {
    /// The first run of exactly six digits in the text part.
    var code: String? {
        guard let range = text.range(of: #"(?<![0-9])[0-9]{6}(?![0-9])"#, options: .regularExpression) else {
            return nil
        }
        return String(text[range])
    }

    /// The token of the link (after `token=`).
    var linkToken: String? {
        guard let range = text.range(of: #"token=[A-Za-z0-9_\-]+"#, options: .regularExpression) else { return nil }
        return String(text[range].dropFirst("token=".count))
    }
}
