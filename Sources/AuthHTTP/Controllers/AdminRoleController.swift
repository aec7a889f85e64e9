import AuthCore
import Hummingbird

/// `/admin/roles`.
struct AdminRoleController {
    let roles: RoleAdminService

    func addRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.rolesRead).get("roles", use: list)
        requiring(Permission.rolesWrite).post("roles", use: create)
        requiring(Permission.rolesWrite).put("roles/{name}", use: update)
        requiring(Permission.rolesWrite).delete("roles/{name}", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ItemsResponse<RoleResponse> {
        ItemsResponse(items: try await roles.roles().map(RoleResponse.init))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RoleResponse> {
        let body = try await request.decodeBody(as: RoleRequest.self, context: context)
        guard let name = body.name else { throw AuthError.validation([.required("name")]) }
        let role = try await roles.create(
            name: name,
            description: body.description ?? "",
            permissions: body.permissions ?? [],
            requiresMFA: body.requires_mfa ?? false,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return EditedResponse(status: .created, response: RoleResponse(role))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> RoleResponse {
        guard let name = context.parameters.get("name") else { throw AuthError.roleNotFound }
        let body = try await request.decodeBody(as: RoleRequest.self, context: context)
        if let renamed = body.name, renamed != name {
            throw AuthError.validation(field: "name", code: "not_allowed", message: "A role cannot be renamed.")
        }
        let role = try await roles.update(
            name: name,
            description: body.description,
            permissions: body.permissions,
            requiresMFA: body.requires_mfa,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return RoleResponse(role)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        guard let name = context.parameters.get("name") else { throw AuthError.roleNotFound }
        try await roles.delete(name: name, actor: try context.requirePrincipal(), meta: context.meta(request))
        return .noContent
    }
}
