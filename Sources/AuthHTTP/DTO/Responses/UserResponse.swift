import AuthCore
import Foundation
import Hummingbird

/// The public view of a user: never a password hash. Written by hand (`json`, members sorted as the encoder sorts
/// them): `GET /auth/me` is polled, and `JSONEncoder` was its largest cost after the caches (`docs/benchmarks.md`).
/// `Encodable` stays, and a test holds the two to the same document.
struct UserResponse: ResponseEncodable, Sendable {
    let id: String
    let email: String
    @ExplicitNull var displayName: String?
    @ExplicitNull var givenName: String?
    @ExplicitNull var familyName: String?
    @ExplicitNull var locale: String?
    @ExplicitNull var timezone: String?
    @ExplicitNull var avatarURL: String?
    let isActive: Bool
    let isVerified: Bool
    let roles: [String]
    let permissions: [String]
    let createdAt: String
    let updatedAt: String
    @ExplicitNull var lastLoginAt: String?
    /// Only in `GET /auth/me`: the session's assurance and whether TOTP is on.
    var aal: Int? = nil
    var amr: [String]? = nil
    var mfaEnabled: Bool? = nil

    enum CodingKeys: String, CodingKey {
        case id, email, locale, timezone, roles, permissions, aal, amr
        case mfaEnabled = "mfa_enabled"
        case displayName = "display_name"
        case givenName = "given_name"
        case familyName = "family_name"
        case avatarURL = "avatar_url"
        case isActive = "is_active"
        case isVerified = "is_verified"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastLoginAt = "last_login_at"
    }

    init(_ value: UserWithPermissions) {
        let user = value.user
        id = user.id.uuidString.lowercased()
        email = user.email
        displayName = user.profile.displayName
        givenName = user.profile.givenName
        familyName = user.profile.familyName
        locale = user.profile.locale
        timezone = user.profile.timezone
        avatarURL = user.profile.avatarURL
        isActive = user.isActive
        isVerified = user.isVerified
        roles = user.roles
        permissions = value.permissions
        createdAt = rfc3339(user.createdAt)
        updatedAt = rfc3339(user.updatedAt)
        lastLoginAt = user.lastLoginAt.map(rfc3339)
    }
}

extension UserResponse {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(json: json)
    }

    var json: [UInt8] {
        var w = JSONObjectWriter()
        if let aal { w.add("aal", aal) }
        if let amr { w.add("amr", amr) }
        w.add("avatar_url", orNull: avatarURL)
        w.add("created_at", createdAt)
        w.add("display_name", orNull: displayName)
        w.add("email", email)
        w.add("family_name", orNull: familyName)
        w.add("given_name", orNull: givenName)
        w.add("id", id)
        w.add("is_active", isActive)
        w.add("is_verified", isVerified)
        w.add("last_login_at", orNull: lastLoginAt)
        w.add("locale", orNull: locale)
        if let mfaEnabled { w.add("mfa_enabled", mfaEnabled) }
        w.add("permissions", permissions)
        w.add("roles", roles)
        w.add("timezone", orNull: timezone)
        w.add("updated_at", updatedAt)
        return w.finished()
    }
}
