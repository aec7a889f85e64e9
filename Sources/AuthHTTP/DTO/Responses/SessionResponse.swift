import AuthCore
import Foundation
import Hummingbird

struct SessionResponse: ResponseEncodable, Sendable {
    let id: String
    let createdAt: String
    let lastUsedAt: String
    let expiresAt: String
    @ExplicitNull var ip: String?
    @ExplicitNull var userAgent: String?
    let current: Bool
    let aal: Int
    let amr: [String]

    enum CodingKeys: String, CodingKey {
        case id, ip, current, aal, amr
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case expiresAt = "expires_at"
        case userAgent = "user_agent"
    }

    init(_ session: Session, current: Bool) {
        id = session.id.uuidString.lowercased()
        createdAt = rfc3339(session.createdAt)
        lastUsedAt = rfc3339(session.lastUsedAt)
        expiresAt = rfc3339(session.expiresAt)
        ip = session.ip
        userAgent = session.userAgent
        self.current = current
        aal = session.aal
        amr = session.amr
    }
}
