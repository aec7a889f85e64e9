import AuthCore

/// `POST /auth/register`.
struct RegisterRequest: RequestBody {
    let email: String
    let password: String
    let profile: ProfileFields

    static let maxLengths = ProfileFields.maxLengths.merging(
        ["email": FieldLimits.email, "password": FieldLimits.password]) { $1 }

    enum CodingKeys: String, CodingKey { case email, password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        email = try container.decode(String.self, forKey: .email)
        password = try container.decode(String.self, forKey: .password)
        profile = try ProfileFields(from: decoder)
    }
}
