import AuthCore
import Foundation

struct InMemoryAuditRepository: AuditRepository {
    let context: InMemoryContext

    func record(_ event: AuditEvent) async throws {
        try await context.write { s in
            guard s.auditEvents[event.id] == nil else { throw InMemoryStoreError.duplicateKey("audit_events.id") }
            s.auditEvents[event.id] = event
        }
    }

    /// Newest first (ties: greater id first); `since` inclusive, `until` exclusive.
    func list(_ query: AuditQuery) async throws -> Page<AuditEvent> {
        try context.read { s in
            let events = s.auditEvents.values.filter { e in
                (query.userID.map { e.userID == $0 } ?? true) && (query.action.map { e.action == $0 } ?? true)
                    && (query.outcome.map { e.outcome == $0 } ?? true)
                    && (query.since.map { e.occurredAt >= $0 } ?? true)
                    && (query.until.map { e.occurredAt < $0 } ?? true)
            }.sorted { $0.occurredAt != $1.occurredAt ? $0.occurredAt > $1.occurredAt : uuidPrecedes($1.id, $0.id) }
            return Page(
                items: pageItems(events, page: query.page, perPage: query.perPage),
                page: query.page,
                perPage: query.perPage,
                total: events.count
            )
        }
    }

    func prune(before: Date) async throws -> Int {
        try await context.write { s in
            let old = s.auditEvents.values.filter { $0.occurredAt < before }.map(\.id)
            for id in old { s.auditEvents[id] = nil }
            return old.count
        }
    }
}
