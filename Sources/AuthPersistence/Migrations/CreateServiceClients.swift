import FluentKit

struct CreateServiceClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_clients")
            .id()
            .field("name", .string, .required)
            .field("client_id", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", name: "service_clients_client_id_key")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("service_clients").delete()
    }
}
