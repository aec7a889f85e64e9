import AuthCore
import Foundation
import Hummingbird

/// `/admin/users` and the sessions of a user.
struct AdminUserController {
    let users: AdminUserService
    let sessions: SessionService

    func addRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.usersRead).get("users", use: list)
        requiring(Permission.usersRead).get("users/{id}", use: show)
        requiring(Permission.usersWrite).post("users", use: create)
        requiring(Permission.usersWrite).put("users/{id}", use: update)
        requiring(Permission.usersDelete).delete("users/{id}", use: delete)
        requiring(Permission.sessionsRead).get("users/{id}/sessions", use: listSessions)
        requiring(Permission.sessionsWrite).delete("users/{id}/sessions", use: revokeSessions)
    }

    static func userID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw AuthError.userNotFound
        }
        return id
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<UserResponse> {
        var parameters = QueryParameters(request)
        var query = UserQuery()
        (query.page, query.perPage) = parameters.page()
        query.search = parameters.string("q")
        query.role = parameters.string("role")
        query.isActive = parameters.bool("is_active")
        query.isVerified = parameters.bool("is_verified")
        query.createdAfter = parameters.date("created_after")
        query.createdBefore = parameters.date("created_before")
        query.sort = parameters.choice("sort", as: UserQuery.Sort.self) ?? .createdAt
        try parameters.finish()
        return PageResponse(try await users.list(query), UserResponse.init)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        UserResponse(try await users.user(try Self.userID(context)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<UserResponse> {
        let body = try await request.decodeBody(as: AdminUserRequest.self, context: context)
        let user = try await users.create(
            body.input,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return EditedResponse(status: .created, response: UserResponse(user))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let id = try Self.userID(context)
        let body = try await request.decodeBody(as: AdminUserRequest.self, context: context)
        let user = try await users.update(
            id,
            body.input,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return UserResponse(user)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await users.delete(
            try Self.userID(context),
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return .noContent
    }

    @Sendable func listSessions(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> ItemsResponse<SessionResponse> {
        let principal = try context.requirePrincipal()
        let id = try Self.userID(context)
        try await users.requireUser(id)
        let items = try await sessions.sessions(of: id)
        return ItemsResponse(items: items.map { SessionResponse($0, current: $0.id == principal.sessionID) })
    }

    @Sendable func revokeSessions(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let id = try Self.userID(context)
        try await users.requireUser(id)
        try await sessions.revokeAll(of: id, actor: try context.requirePrincipal(), meta: context.meta(request))
        return .noContent
    }
}
