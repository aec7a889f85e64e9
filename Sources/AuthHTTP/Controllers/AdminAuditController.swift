import AuthCore
import Hummingbird

/// `/admin/audit-events`, newest first.
struct AdminAuditController {
    let auditTrail: AuditTrailService

    func addRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.auditRead).get("audit-events", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<AuditEventResponse>
    {
        var parameters = QueryParameters(request)
        var query = AuditQuery()
        (query.page, query.perPage) = parameters.page()
        query.userID = parameters.uuid("user_id")
        query.action = parameters.string("action")
        query.outcome = parameters.choice("outcome", as: AuditEvent.Outcome.self)
        query.since = parameters.date("since")
        query.until = parameters.date("until")
        try parameters.finish()
        return PageResponse(try await auditTrail.list(query), AuditEventResponse.init)
    }
}
