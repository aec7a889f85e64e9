import AuthCore
import Foundation

struct InMemoryServiceClientRepository: ServiceClientRepository {
    let context: InMemoryContext

    func create(_ client: ServiceClient) async throws {
        try await context.write { s in
            guard s.serviceClients[client.id] == nil else {
                throw InMemoryStoreError.duplicateKey("service_clients.id")
            }
            guard !s.serviceClients.values.contains(where: { $0.clientID == client.clientID }) else {
                throw InMemoryStoreError.duplicateKey("service_clients.client_id")
            }
            s.serviceClients[client.id] = client
        }
    }

    /// Oldest first (ties by id).
    func list() async throws -> [ServiceClient] {
        try context.read { s in
            s.serviceClients.values.sorted {
                $0.createdAt != $1.createdAt ? $0.createdAt < $1.createdAt : uuidPrecedes($0.id, $1.id)
            }
        }
    }

    func find(clientID: String) async throws -> ServiceClient? {
        try context.read { s in s.serviceClients.values.first { $0.clientID == clientID } }
    }

    func delete(id: UUID) async throws -> ServiceClient? {
        try await context.write { s in s.serviceClients.removeValue(forKey: id) }
    }
}
