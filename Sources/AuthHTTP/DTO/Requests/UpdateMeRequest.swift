import AuthCore

/// `PUT /auth/me`: profile fields, and the email with the current password. Anything else (roles, permissions,
/// is_active, is_verified, id, ...) is refused and nothing changes.
struct UpdateMeRequest: RequestBody {
    let email: String?
    let current_password: String?
    let profile: ProfileFields

    static let maxLengths = ProfileFields.maxLengths.merging(
        ["email": FieldLimits.email, "current_password": FieldLimits.password]) { $1 }

    enum CodingKeys: String, CodingKey { case email, current_password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        current_password = try container.decodeIfPresent(String.self, forKey: .current_password)
        profile = try ProfileFields(from: decoder)
    }
}
