import AuthCore
import Foundation
import Hummingbird

/// A service client; `client_secret` only in the answer that created it.
struct ServiceClientResponse: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let clientID: String
    let clientSecret: String?
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case createdAt = "created_at"
    }

    init(_ client: ServiceClient, secret: String? = nil) {
        id = client.id.uuidString.lowercased()
        name = client.name
        clientID = client.clientID
        clientSecret = secret
        createdAt = rfc3339(client.createdAt)
    }
}
