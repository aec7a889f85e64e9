import AuthCore
import Foundation

/// A row of `users`. Roles live in `user_roles`; `user(roles:)` joins them back.
struct UserRow: Codable, Sendable {
    var id: UUID
    var email: String
    var password_hash: String
    var display_name: String?
    var given_name: String?
    var family_name: String?
    var locale: String?
    var timezone: String?
    var avatar_url: String?
    var is_active: Bool
    var is_verified: Bool
    var created_at: Date
    var updated_at: Date
    var last_login_at: Date?

    init(_ u: User) {
        id = u.id
        email = u.email
        password_hash = u.passwordHash
        display_name = u.profile.displayName
        given_name = u.profile.givenName
        family_name = u.profile.familyName
        locale = u.profile.locale
        timezone = u.profile.timezone
        avatar_url = u.profile.avatarURL
        is_active = u.isActive
        is_verified = u.isVerified
        created_at = u.createdAt
        updated_at = u.updatedAt
        last_login_at = u.lastLoginAt
    }

    func user(roles: [String]) -> User {
        User(
            id: id,
            email: email,
            passwordHash: password_hash,
            profile: UserProfile(
                displayName: display_name,
                givenName: given_name,
                familyName: family_name,
                locale: locale,
                timezone: timezone,
                avatarURL: avatar_url
            ),
            isActive: is_active,
            isVerified: is_verified,
            createdAt: created_at,
            updatedAt: updated_at,
            lastLoginAt: last_login_at,
            roles: roles.sorted()
        )
    }
}
