import AuthCore
import Foundation
import SQLKit

/// The audit trail (`audit_events`), newest first.
struct SQLAuditRepository: AuditRepository {
    let sql: StoreDatabase

    func record(_ e: AuditEvent) async throws {
        try await sql.insert(into: "audit_events").model(AuditRow(e)).run()
    }

    func list(_ query: AuditQuery) async throws -> AuthCore.Page<AuditEvent> {
        var conditions: [SQLQueryString] = []
        if let user = query.userID { conditions.append("user_id = \(bind: user)") }
        if let action = query.action { conditions.append("action = \(bind: action)") }
        if let outcome = query.outcome { conditions.append("outcome = \(bind: outcome.rawValue)") }
        if let since = query.since { conditions.append("occurred_at >= \(bind: since)") }
        if let until = query.until { conditions.append("occurred_at < \(bind: until)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = try await sql.count("SELECT COUNT(*) AS count FROM audit_events" + whereClause)
        let offset = (query.page - 1) * query.perPage
        let rows = try await sql.raw(
            "SELECT * FROM audit_events" + whereClause
                + " ORDER BY occurred_at DESC, id DESC LIMIT \(literal: query.perPage) OFFSET \(literal: offset)"
        )
        .all(decoding: AuditRow.self)
        return AuthCore.Page(items: rows.map(\.event), page: query.page, perPage: query.perPage, total: total)
    }

    func prune(before: Date) async throws -> Int {
        try await sql.rowsWritten("DELETE FROM audit_events WHERE occurred_at < \(bind: before) RETURNING id")
    }
}
