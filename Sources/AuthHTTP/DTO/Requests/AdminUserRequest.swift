import AuthCore

/// `POST /admin/users` and `PUT /admin/users/{id}`. Creation needs the email and the password; `validate`
/// names what is missing.
struct AdminUserRequest: RequestBody {
    let email: String?
    let password: String?
    let profile: ProfileFields
    let roles: [String]?
    let is_active: Bool?
    let is_verified: Bool?

    static let maxLengths = ProfileFields.maxLengths.merging(
        ["email": FieldLimits.email, "password": FieldLimits.password]) { $1 }
    static let maxCounts = ["roles": FieldLimits.rolesPerUser]

    enum CodingKeys: String, CodingKey { case email, password, roles, is_active, is_verified }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        roles = try container.decodeIfPresent([String].self, forKey: .roles)
        is_active = try container.decodeIfPresent(Bool.self, forKey: .is_active)
        is_verified = try container.decodeIfPresent(Bool.self, forKey: .is_verified)
        profile = try ProfileFields(from: decoder)
    }

    var input: AdminUserInput {
        AdminUserInput(
            email: email,
            password: password,
            profile: profile.changes,
            roles: roles,
            isActive: is_active,
            isVerified: is_verified
        )
    }
}
