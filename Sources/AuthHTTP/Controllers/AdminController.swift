import AuthCore
import Foundation
import Hummingbird

/// `/admin/*`. Every route names its permission through `RequirePermission`.
struct AdminController {
    let services: AuthServices
    var admin: AdminService { services.admin }

    func addRoutes(to group: Routes) {
        func requiring(_ permission: String) -> Routes {
            group.adding(RequirePermission(permission, services: services))
        }
        requiring("users:read").get("users", use: listUsers)
        requiring("users:read").get("users/{id}", use: getUser)
        requiring("users:write").post("users", use: createUser)
        requiring("users:write").put("users/{id}", use: updateUser)
        requiring("users:delete").delete("users/{id}", use: deleteUser)
        requiring("sessions:read").get("users/{id}/sessions", use: userSessions)
        requiring("sessions:write").delete("users/{id}/sessions", use: revokeUserSessions)
        requiring("roles:read").get("roles", use: listRoles)
        requiring("roles:write").post("roles", use: createRole)
        requiring("roles:write").put("roles/{name}", use: updateRole)
        requiring("roles:write").delete("roles/{name}", use: deleteRole)
        requiring("audit:read").get("audit-events", use: auditEvents)
        requiring("clients:write").get("service-clients", use: listClients)
        requiring("clients:write").post("service-clients", use: createClient)
        requiring("clients:write").delete("service-clients/{id}", use: deleteClient)
    }

    // MARK: Query parsing

    struct Query {
        let values: [String: String]
        var errors: [FieldError] = []

        init(_ request: Request) {
            var values: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
            self.values = values
        }

        mutating func int(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = values[key] else { return value }
            guard let parsed = Int(text), range.contains(parsed) else {
                errors.append(FieldError(field: key, code: "out_of_range", message: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)."))
                return value
            }
            return parsed
        }

        mutating func bool(_ key: String) -> Bool? {
            guard let text = values[key] else { return nil }
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default:
                errors.append(FieldError(field: key, code: "invalid_format", message: "\(key) must be true or false."))
                return nil
            }
        }

        mutating func date(_ key: String) -> Date? {
            guard let text = values[key] else { return nil }
            if let date = RFC3339.parse(text) { return date }
            errors.append(FieldError(field: key, code: "invalid_format", message: "\(key) must be an RFC 3339 timestamp."))
            return nil
        }

        mutating func uuid(_ key: String) -> UUID? {
            guard let text = values[key] else { return nil }
            guard let id = UUID(uuidString: text) else {
                errors.append(FieldError(field: key, code: "invalid_format", message: "\(key) must be a UUID."))
                return nil
            }
            return id
        }

        func string(_ key: String) -> String? {
            values[key].flatMap { $0.isEmpty ? nil : String($0.prefix(256)) }
        }

        func finish() throws {
            if !errors.isEmpty { throw AuthError.validation(errors) }
        }
    }

    func userID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AuthError.userNotFound }
        return id
    }

    // MARK: Users

    @Sendable func listUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        var q = Query(request)
        var query = UserQuery()
        query.page = q.int("page", default: 1, range: 1...1_000_000)
        query.perPage = q.int("per_page", default: 20, range: 1...100)
        query.search = q.string("q")
        query.role = q.string("role")
        query.isActive = q.bool("is_active")
        query.isVerified = q.bool("is_verified")
        query.createdAfter = q.date("created_after")
        query.createdBefore = q.date("created_before")
        if let sort = q.values["sort"] {
            if let parsed = UserQuery.Sort(rawValue: sort) {
                query.sort = parsed
            } else {
                q.errors.append(FieldError(field: "sort", code: "invalid_value",
                                           message: "sort is one of \(UserQuery.Sort.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        try q.finish()
        let page = try await admin.listUsers(query)
        return try JSONResponse.make(PageResponse(items: page.items.map(UserResponse.init), page: page.page, per_page: page.perPage, total: page.total))
    }

    @Sendable func getUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(UserResponse(try await admin.user(try userID(context))))
    }

    func userInput(_ body: inout JSONBody, creating: Bool) -> AdminUserInput {
        let input = AdminUserInput(
            email: body.string("email", required: creating, max: 320), password: body.string("password", required: creating, max: 4096),
            profile: body.profile(), roles: body.stringArray("roles", maxCount: 50), isActive: body.bool("is_active"),
            isVerified: body.bool("is_verified"))
        body.refuseFields(except: JSONBody.profileKeys.union(["email", "password", "roles", "is_active", "is_verified"]))
        return input
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let input = userInput(&body, creating: true)
        try body.finish()
        let user = try await admin.createUser(input, actor: try context.requirePrincipal(), meta: context.meta(request))
        return try JSONResponse.make(UserResponse(user), status: .created)
    }

    @Sendable func updateUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try userID(context)
        var body = try await JSONBody.read(request, context: context)
        let input = userInput(&body, creating: false)
        try body.finish()
        let user = try await admin.updateUser(id, input, actor: try context.requirePrincipal(), meta: context.meta(request))
        return try JSONResponse.make(UserResponse(user))
    }

    @Sendable func deleteUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin.deleteUser(try userID(context), actor: try context.requirePrincipal(), meta: context.meta(request))
        return JSONResponse.noContent()
    }

    @Sendable func userSessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sessions = try await admin.sessions(of: try userID(context))
        return try JSONResponse.make(ItemsResponse(items: sessions.map { SessionResponse(session: $0, current: $0.id == principal.sessionID) }))
    }

    @Sendable func revokeUserSessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin.revokeSessions(of: try userID(context), actor: try context.requirePrincipal(), meta: context.meta(request))
        return JSONResponse.noContent()
    }

    // MARK: Roles

    @Sendable func listRoles(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(ItemsResponse(items: try await admin.roles().map(RoleResponse.init)))
    }

    @Sendable func createRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let name = body.string("name", required: true, max: 64)
        let description = body.string("description", max: 500) ?? ""
        let permissions = body.stringArray("permissions") ?? []
        body.refuseFields(except: ["name", "description", "permissions"])
        try body.finish()
        let role = try await admin.createRole(name: name ?? "", description: description, permissions: permissions,
                                              actor: try context.requirePrincipal(), meta: context.meta(request))
        return try JSONResponse.make(RoleResponse(role), status: .created)
    }

    @Sendable func updateRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name") else { throw AuthError.roleNotFound }
        var body = try await JSONBody.read(request, context: context)
        let description = body.string("description", max: 500)
        let permissions = body.stringArray("permissions")
        body.refuseFields(except: ["name", "description", "permissions"])
        if let renamed = body.string("name", max: 64), renamed != name {
            body.fail("name", "not_allowed", "A role cannot be renamed.")
        }
        try body.finish()
        let role = try await admin.updateRole(name: name, description: description, permissions: permissions,
                                              actor: try context.requirePrincipal(), meta: context.meta(request))
        return try JSONResponse.make(RoleResponse(role))
    }

    @Sendable func deleteRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name") else { throw AuthError.roleNotFound }
        try await admin.deleteRole(name: name, actor: try context.requirePrincipal(), meta: context.meta(request))
        return JSONResponse.noContent()
    }

    // MARK: Audit

    @Sendable func auditEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        var q = Query(request)
        var query = AuditQuery()
        query.page = q.int("page", default: 1, range: 1...1_000_000)
        query.perPage = q.int("per_page", default: 20, range: 1...100)
        query.userID = q.uuid("user_id")
        query.action = q.string("action")
        if let outcome = q.values["outcome"] {
            if let parsed = AuditEvent.Outcome(rawValue: outcome) {
                query.outcome = parsed
            } else {
                q.errors.append(FieldError(field: "outcome", code: "invalid_value", message: "outcome is success or failure."))
            }
        }
        query.since = q.date("since")
        query.until = q.date("until")
        try q.finish()
        let page = try await admin.auditEvents(query)
        return try JSONResponse.make(PageResponse(items: page.items.map { AuditEventResponse(event: $0) }, page: page.page,
                                                  per_page: page.perPage, total: page.total))
    }

    // MARK: Service clients

    @Sendable func listClients(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(ItemsResponse(items: try await admin.serviceClients().map { ServiceClientResponse($0) }))
    }

    @Sendable func createClient(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, context: context)
        let name = body.string("name", required: true, max: 100)
        body.refuseFields(except: ["name"])
        try body.finish()
        let (client, secret) = try await admin.createServiceClient(name: name ?? "", actor: try context.requirePrincipal(), meta: context.meta(request))
        return try JSONResponse.make(ServiceClientResponse(client, secret: secret), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func deleteClient(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AuthError.clientNotFound }
        try await admin.deleteServiceClient(id: id, actor: try context.requirePrincipal(), meta: context.meta(request))
        return JSONResponse.noContent()
    }
}
