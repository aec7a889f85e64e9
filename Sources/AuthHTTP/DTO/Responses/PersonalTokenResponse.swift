import AuthCore
import Foundation
import Hummingbird

/// A personal access token; `token` (the secret) only in the answer that created it.
struct PersonalTokenResponse: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let token: String?
    let permissions: [String]
    let createdAt: String
    @ExplicitNull var expiresAt: String?
    @ExplicitNull var lastUsedAt: String?
    @ExplicitNull var lastUsedIP: String?

    enum CodingKeys: String, CodingKey {
        case id, name, token, permissions
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
        case lastUsedIP = "last_used_ip"
    }

    init(_ token: PersonalAccessToken, secret: String? = nil) {
        id = token.id.uuidString.lowercased()
        name = token.name
        self.token = secret
        permissions = token.permissions
        createdAt = rfc3339(token.createdAt)
        expiresAt = token.expiresAt.map(rfc3339)
        lastUsedAt = token.lastUsedAt.map(rfc3339)
        lastUsedIP = token.lastUsedIP
    }
}
