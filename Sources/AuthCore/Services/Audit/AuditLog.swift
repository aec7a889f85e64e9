import Foundation
import Logging

/// Writes audit events. Values that come from users are made printable first, so a newline or an
/// escape sequence in an email or user agent cannot forge an entry or a log line.
public struct AuditLog: Sendable {
    let clock: any AuthClock
    let logger: Logger

    public init(clock: any AuthClock, logger: Logger) {
        self.clock = clock
        self.logger = logger
    }

    public func event(
        _ action: String,
        _ outcome: AuditEvent.Outcome,
        actor: UUID? = nil,
        user: UUID? = nil,
        meta: RequestMeta,
        details: [String: String] = [:]
    ) -> AuditEvent {
        var details = details
        // An operator command: the command line is the actor, and the operating-system user who ran it is named.
        if let osUser = meta.osUser {
            details["via"] = "cli"
            details["os_user"] = osUser
        }
        return AuditEvent(
            occurredAt: clock.now(),
            action: action,
            outcome: outcome,
            actorID: actor == Principal.commandLineID ? nil : actor,
            userID: user,
            ip: meta.ip.map(Self.printable),
            userAgent: meta.userAgent.map(Self.printable),
            requestID: meta.requestID.map(Self.printable),
            details: details.mapValues(Self.printable)
        )
    }

    /// Records in `store` (pass the transaction's store to commit with the change).
    public func record(_ event: AuditEvent, in store: any AuthStore) async throws {
        try await store.audit.record(event)
    }

    /// Records outside any transaction; a failure is logged, never surfaced (the request's outcome stands).
    public func recordDetached(_ event: AuditEvent, in store: any AuthStore) async {
        do {
            try await store.audit.record(event)
        } catch {
            logger.error(
                "audit event not stored",
                metadata: ["action": .string(event.action), "error": .string(String(describing: type(of: error)))]
            )
        }
    }

    /// Control and format characters (bidi overrides and isolates among them) and line separators become `\u{..}`
    /// escapes, and a backslash becomes `\\`, so the escaping is reversible: a literal `\u{a}` cannot pass for an
    /// escaped newline. At most 512 characters are kept.
    public static func printable(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars.prefix(512) {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                if scalar == "\\" {
                    out += "\\\\"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
