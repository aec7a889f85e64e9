import AuthCore
import Foundation

/// A row of `service_clients`: the client's secret is stored as a hash only.
struct ServiceClientRow: Codable, Sendable {
    var id: UUID
    var name: String
    var client_id: String
    var secret_hash: String
    var created_at: Date
    var client: ServiceClient {
        ServiceClient(id: id, name: name, clientID: client_id, secretHash: secret_hash, createdAt: created_at)
    }
}

extension ServiceClientRow {
    init(_ c: ServiceClient) {
        self.init(id: c.id, name: c.name, client_id: c.clientID, secret_hash: c.secretHash, created_at: c.createdAt)
    }
}
