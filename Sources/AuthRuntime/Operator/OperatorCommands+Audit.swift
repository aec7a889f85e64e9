import AuthCore
import AuthHTTP
import Foundation

extension OperatorCommands {
    /// How far `authd audit tail --follow` has read: the time of the newest event shown, and the events shown at
    /// that time (several can share it).
    public struct AuditCursor: Sendable, Equatable {
        var since: Date?
        var seen: Set<UUID> = []
    }

    /// The newest `count` events, oldest first (like `tail`), and the cursor to follow from.
    public func auditTail(
        count: Int = 20,
        format: Format = .table
    ) async throws -> (output: String, cursor: AuditCursor) {
        var query = AuditQuery()
        query.perPage = max(1, min(count, 1_000))
        let events = try await services.auditTrail.list(query).items
        let output = try await render(Array(events.reversed()), format: format, header: true)
        return (output, advance(AuditCursor(), past: events))
    }

    /// The events recorded after `cursor`, oldest first; the output is empty when there are none.
    public func auditEvents(
        after cursor: AuditCursor,
        format: Format = .table
    ) async throws -> (output: String, cursor: AuditCursor) {
        var query = AuditQuery()
        query.since = cursor.since
        query.perPage = 500
        var events: [AuditEvent] = []
        for page in 1...20 {
            query.page = page
            let items = try await services.auditTrail.list(query).items
            events += items.filter { !cursor.seen.contains($0.id) }
            if items.count < query.perPage { break }
        }
        guard !events.isEmpty else { return ("", cursor) }
        let output = try await render(Array(events.reversed()), format: format, header: false)
        return (output, advance(cursor, past: events))
    }

    /// `audit tail --follow`: the newest `count` events, then every `interval` the new ones, until cancelled.
    public func followAudit(
        count: Int,
        format: Format,
        interval: Duration = .seconds(1),
        write: @Sendable (String) -> Void
    ) async throws {
        var (output, cursor) = try await auditTail(count: count, format: format)
        write(output)
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let next = try await auditEvents(after: cursor, format: format)
            if !next.output.isEmpty { write(next.output) }
            cursor = next.cursor
        }
    }

    /// `events` are newest first.
    private func advance(_ cursor: AuditCursor, past events: [AuditEvent]) -> AuditCursor {
        guard let newest = events.first?.occurredAt else { return cursor }
        let atNewest = Set(events.filter { $0.occurredAt == newest }.map(\.id))
        if newest == cursor.since { return AuditCursor(since: newest, seen: cursor.seen.union(atNewest)) }
        return AuditCursor(since: newest, seen: atNewest)
    }

    /// One line an event: JSON as `GET /admin/audit-events` writes each item, or aligned columns.
    private func render(_ events: [AuditEvent], format: Format, header: Bool) async throws -> String {
        if format == .json { return try events.map(APIJSON.auditEvent).joined(separator: "\n") }
        guard !events.isEmpty else { return header ? "no audit events" : "" }
        var emails: [UUID: String] = [:]
        for id in Set(events.flatMap { [$0.userID, $0.actorID].compactMap { $0 } }) {
            emails[id] = try await services.store.users.find(id: id)?.email
        }
        func name(_ id: UUID?) -> String {
            guard let id else { return "-" }
            return emails[id] ?? id.uuidString.lowercased()
        }
        var lines: [String] = []
        if header { lines.append(Self.auditLine("TIME", "OUTCOME", "ACTION", "USER", "ACTOR", "DETAILS")) }
        for event in events {
            var details = event.details
            var actor = name(event.actorID)
            if details["via"] == "cli" {
                actor = "cli (\(details["os_user"] ?? "?"))"
                details["via"] = nil
                details["os_user"] = nil
            }
            let text = details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.append(
                Self.auditLine(
                    OperatorTime.text(event.occurredAt),
                    event.outcome.rawValue,
                    event.action,
                    name(event.userID),
                    actor,
                    text.isEmpty ? "-" : text
                )
            )
        }
        return lines.joined(separator: "\n")
    }

    /// Fixed widths, so that the lines of successive polls line up.
    private static func auditLine(_ columns: String...) -> String {
        let widths = [20, 7, 28, 32, 24]
        var line = ""
        for (index, column) in columns.enumerated() {
            guard index < widths.count else {
                line += column
                break
            }
            line += column.padding(toLength: max(widths[index], column.count), withPad: " ", startingAt: 0) + "  "
        }
        return line
    }
}
