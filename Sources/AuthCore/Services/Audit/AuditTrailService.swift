/// `/admin/audit-events`: the audit trail, newest first. Writing events is `AuditLog`'s job.
public struct AuditTrailService: Sendable {
    private let events: any AuditRepository

    public init(events: any AuditRepository) { self.events = events }

    public func list(_ query: AuditQuery) async throws -> Page<AuditEvent> {
        try await events.list(query)
    }
}
