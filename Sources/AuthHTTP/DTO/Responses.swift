import AuthCore
import Foundation
import Hummingbird

/// RFC 3339 in UTC, whole seconds.
func rfc3339(_ date: Date) -> String {
    date.formatted(.iso8601)
}

/// The public view of a user: never a password hash.
struct UserResponse: Encodable {
    let value: UserWithPermissions
    init(_ value: UserWithPermissions) { self.value = value }

    enum Keys: String, CodingKey {
        case id, email, display_name, given_name, family_name, locale, timezone, avatar_url, is_active, is_verified, roles, permissions
        case created_at, updated_at, last_login_at
    }

    func encode(to encoder: any Encoder) throws {
        let u = value.user
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(u.id.uuidString.lowercased(), forKey: .id)
        try c.encode(u.email, forKey: .email)
        try c.encode(u.profile.displayName, forKey: .display_name)
        try c.encode(u.profile.givenName, forKey: .given_name)
        try c.encode(u.profile.familyName, forKey: .family_name)
        try c.encode(u.profile.locale, forKey: .locale)
        try c.encode(u.profile.timezone, forKey: .timezone)
        try c.encode(u.profile.avatarURL, forKey: .avatar_url)
        try c.encode(u.isActive, forKey: .is_active)
        try c.encode(u.isVerified, forKey: .is_verified)
        try c.encode(u.roles, forKey: .roles)
        try c.encode(value.permissions, forKey: .permissions)
        try c.encode(rfc3339(u.createdAt), forKey: .created_at)
        try c.encode(rfc3339(u.updatedAt), forKey: .updated_at)
        try c.encode(u.lastLoginAt.map(rfc3339), forKey: .last_login_at)
    }
}

struct RegisteredResponse: Encodable {
    let user: UserResponse
}

struct TokenPairResponse: Encodable {
    let pair: TokenPair
    enum Keys: String, CodingKey { case access_token, token_type, expires_in, refresh_token, refresh_expires_in, user }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(pair.accessToken, forKey: .access_token)
        try c.encode("Bearer", forKey: .token_type)
        try c.encode(pair.expiresIn, forKey: .expires_in)
        try c.encode(pair.refreshToken, forKey: .refresh_token)
        try c.encode(pair.refreshExpiresIn, forKey: .refresh_expires_in)
        try c.encode(UserResponse(pair.user), forKey: .user)
    }
}

struct SessionResponse: Encodable {
    let session: Session
    let current: Bool
    enum Keys: String, CodingKey { case id, created_at, last_used_at, expires_at, ip, user_agent, current }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(session.id.uuidString.lowercased(), forKey: .id)
        try c.encode(rfc3339(session.createdAt), forKey: .created_at)
        try c.encode(rfc3339(session.lastUsedAt), forKey: .last_used_at)
        try c.encode(rfc3339(session.expiresAt), forKey: .expires_at)
        try c.encode(session.ip, forKey: .ip)
        try c.encode(session.userAgent, forKey: .user_agent)
        try c.encode(current, forKey: .current)
    }
}

struct ItemsResponse<Item: Encodable>: Encodable {
    let items: [Item]
}

struct PageResponse<Item: Encodable>: Encodable {
    let items: [Item]
    let page: Int
    let per_page: Int
    let total: Int
}

struct RoleResponse: Encodable {
    let name: String
    let description: String
    let permissions: [String]
    let is_system: Bool
    init(_ role: Role) {
        name = role.name
        description = role.description
        permissions = role.permissions
        is_system = role.isSystem
    }
}

struct AuditEventResponse: Encodable {
    let event: AuditEvent
    enum Keys: String, CodingKey { case id, occurred_at, action, outcome, actor_id, user_id, ip, user_agent, request_id, details }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(event.id.uuidString.lowercased(), forKey: .id)
        try c.encode(rfc3339(event.occurredAt), forKey: .occurred_at)
        try c.encode(event.action, forKey: .action)
        try c.encode(event.outcome.rawValue, forKey: .outcome)
        try c.encode(event.actorID?.uuidString.lowercased(), forKey: .actor_id)
        try c.encode(event.userID?.uuidString.lowercased(), forKey: .user_id)
        try c.encode(event.ip, forKey: .ip)
        try c.encode(event.userAgent, forKey: .user_agent)
        try c.encode(event.requestID, forKey: .request_id)
        try c.encode(event.details, forKey: .details)
    }
}

struct ServiceClientResponse: Encodable {
    let id: String
    let name: String
    let client_id: String
    let client_secret: String?
    let created_at: String
    init(_ client: ServiceClient, secret: String? = nil) {
        id = client.id.uuidString.lowercased()
        name = client.name
        client_id = client.clientID
        client_secret = secret
        created_at = rfc3339(client.createdAt)
    }
}

/// The `/auth/verify` answer. Written by hand (members sorted, as `JSONResponse`'s encoder sorts them): this is the
/// hottest response authd sends, and `JSONEncoder` cost more than the rest of the request.
struct IntrospectionResponse {
    let value: Introspection

    var json: [UInt8] {
        var w = JSONObjectWriter()
        w.add("active", value.active)
        guard value.active, let claims = value.claims else { return w.finished() }
        w.add("allowed", value.allowed)
        w.add("aud", claims.aud)
        w.add("email", value.email)
        w.add("exp", claims.exp)
        w.add("iat", claims.iat)
        w.add("iss", claims.iss)
        w.add("permissions", value.permissions)
        w.add("roles", value.roles)
        w.add("sid", claims.sid)
        w.add("sub", claims.sub)
        w.add("token_type", "Bearer")
        return w.finished()
    }
}

/// RFC 9457 problem details.
struct ProblemDetails: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let request_id: String
    let errors: [FieldError]?
}

enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                     headers extra: HTTPFields = [:]) throws -> Response {
        make(json: try encoder.encode(value), status: status, contentType: contentType, headers: extra)
    }

    /// A body already written as JSON.
    static func make(json: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                     headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}
