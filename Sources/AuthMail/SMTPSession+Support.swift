import NIOCore
import NIOPosix
import NIOSSL

extension SMTPSession {
    /// Sorts a failure below the SMTP dialogue into retry or not, with a message that names the stage and never
    /// anything secret. A certificate that does not verify is permanent: retrying will not make it trusted, and an
    /// admin has to act (fix the server, or trust its CA with `tls_ca`).
    static func classify(_ error: any Error, stage: String, host: String, port: Int) -> MailDeliveryError {
        if let error = error as? MailDeliveryError { return error }
        if let error = error as? SMTPConnectionError {
            switch error {
            case .timeout:
                return .transient("SMTP timed out waiting for a reply to \(stage)")
            case .connectionClosed:
                return .transient("SMTP connection closed by the server during \(stage)")
            case .unsolicitedReply:
                return .transient("SMTP server sent a reply nobody asked for during \(stage)")
            case .malformedReply:
                return .transient("SMTP server sent a malformed reply during \(stage)")
            }
        }
        if let error = error as? ChannelError, isConnectTimeout(error) {
            return .transient("SMTP connect to \(host):\(port) timed out")
        }
        if isCertificateFailure(error) {
            return .permanent(
                "SMTP TLS certificate of \(host) could not be verified (untrusted, expired or issued for another "
                    + "name); fix the server's certificate or trust its CA with tls_ca"
            )
        }
        if let error = error as? NIOSSLError, case .uncleanShutdown = error {
            return .transient("SMTP connection closed by the server during \(stage)")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .transient("SMTP TLS handshake with \(host) failed during \(stage)")
        }
        if stage == "connect" {
            return .transient("could not connect to SMTP server \(host):\(port)")
        }
        if error is IOError || error is ChannelError {
            return .transient("SMTP connection failed during \(stage)")
        }
        return .transient("SMTP failure during \(stage) (\(type(of: error)))")
    }

    private static func isConnectTimeout(_ error: ChannelError) -> Bool {
        if case .connectTimeout = error { return true }
        return false
    }

    private static func isCertificateFailure(_ error: any Error) -> Bool {
        if let error = error as? NIOSSLExtraError {
            return error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let inner):
                return "\(inner)".contains("CERTIFICATE_VERIFY_FAILED")
            case .noCertificateToValidate, .unableToValidateCertificate:
                return true
            default:
                return false
            }
        }
        return false
    }

    /// The body as it goes after `DATA`: every line break made CRLF, a `.` doubled at the start of a line (so no
    /// line of the message can end it early), a final CRLF if missing, and the `.` line that ends the data.
    static func dotStuffed(_ data: String) -> [UInt8] {
        let lines = QuotedPrintable.splitLines(Array(data.utf8))
        var output: [UInt8] = []
        output.reserveCapacity(data.utf8.count + lines.count + 8)
        // A trailing line break leaves an empty last "line": it is the end of the previous one, not a line.
        let count = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
        for line in lines.prefix(count) {
            if line.first == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(contentsOf: line)
            output.append(contentsOf: [13, 10])
        }
        output.append(contentsOf: [UInt8(ascii: "."), 13, 10])
        return output
    }
}
