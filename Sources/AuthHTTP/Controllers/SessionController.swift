import AuthCore
import Foundation
import Hummingbird

/// The signed-in user's sessions: `/auth/logout` and `/auth/sessions`.
struct SessionController {
    let sessions: SessionService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("logout", use: logout)
        group.get("sessions", use: list)
        group.delete("sessions/{id}", use: revoke)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let body = try await request.decodeBody(as: LogoutRequest.self, context: context, optional: true)
        try await sessions.logout(
            try context.requirePrincipal(),
            allSessions: body.all_sessions ?? false,
            meta: context.meta(request)
        )
        return .noContent
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ItemsResponse<SessionResponse> {
        let principal = try context.requirePrincipal()
        let items = try await sessions.sessions(of: principal.userID)
        return ItemsResponse(items: items.map { SessionResponse($0, current: $0.id == principal.sessionID) })
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw AuthError.sessionNotFound
        }
        try await sessions.revokeOwnSession(principal, sessionID: id, meta: context.meta(request))
        return .noContent
    }
}
