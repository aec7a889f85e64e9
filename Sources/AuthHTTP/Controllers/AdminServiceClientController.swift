import AuthCore
import Foundation
import Hummingbird

/// `/admin/service-clients`: the callers of `/auth/verify`.
struct AdminServiceClientController {
    let clients: ServiceClientAdminService

    func addRoutes(requiring: (String) -> RouterGroup<AppRequestContext>) {
        requiring(Permission.clientsWrite).get("service-clients", use: list)
        requiring(Permission.clientsWrite).post("service-clients", use: create)
        requiring(Permission.clientsWrite).delete("service-clients/{id}", use: delete)
    }

    @Sendable func list(
        _ request: Request,
        context: AppRequestContext
    ) async throws -> ItemsResponse<ServiceClientResponse> {
        ItemsResponse(items: try await clients.clients().map { ServiceClientResponse($0) })
    }

    @Sendable func create(
        _ request: Request,
        context: AppRequestContext
    ) async throws
        -> EditedResponse<ServiceClientResponse>
    {
        let body = try await request.decodeBody(as: ServiceClientRequest.self, context: context)
        let (client, secret) = try await clients.create(
            name: body.name,
            actor: try context.requirePrincipal(),
            meta: context.meta(request)
        )
        return .noStore(ServiceClientResponse(client, secret: secret), status: .created)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw AuthError.clientNotFound
        }
        try await clients.delete(id: id, actor: try context.requirePrincipal(), meta: context.meta(request))
        return .noContent
    }
}
