import AuthCore
import Foundation
import SQLKit

/// Clients that authenticate with a secret (`service_clients`).
struct SQLServiceClientRepository: ServiceClientRepository {
    let sql: StoreDatabase

    func create(_ c: ServiceClient) async throws {
        try await sql.insert(into: "service_clients").model(ServiceClientRow(c)).run()
    }

    func list() async throws -> [ServiceClient] {
        try await sql.raw("SELECT * FROM service_clients ORDER BY created_at, id").all(decoding: ServiceClientRow.self)
            .map(\.client)
    }

    func find(clientID: String) async throws -> ServiceClient? {
        try await sql.raw("SELECT * FROM service_clients WHERE client_id = \(bind: clientID)").first(
            decoding: ServiceClientRow.self
        )?.client
    }

    func delete(id: UUID) async throws -> ServiceClient? {
        try await sql.raw("DELETE FROM service_clients WHERE id = \(bind: id) RETURNING *").first(
            decoding: ServiceClientRow.self
        )?.client
    }
}
