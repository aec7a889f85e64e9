import AuthCore
import Foundation
import Testing

/// The `maxLength`s and `maxItems` of openapi.yaml's request bodies are the limits the code enforces
/// (`FieldLimits`), so the document cannot drift from them.
@Suite struct OpenAPILimitsTests {
    /// "Schema.property" (and "Schema.property[]" for array items) → the document's `maxLength`, or `maxItems` under
    /// "Schema.property#".
    static func documentedLimits() throws -> [String: Int] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../openapi.yaml"
        )
        let text = try String(contentsOf: url, encoding: .utf8)
        var limits: [String: Int] = [:]
        var schema: String?
        var property: String?
        var inItems = false
        for line in text.components(separatedBy: "\n") {
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if indent == 4, trimmed.hasSuffix(":") {
                schema = String(trimmed.dropLast())
                property = nil
            } else if indent == 8, trimmed.hasSuffix(":"), !trimmed.contains(" ") {
                property = String(trimmed.dropLast())
                inItems = false
            } else if indent == 10, trimmed == "items:" {
                inItems = true
            } else if indent == 10, trimmed.hasPrefix("maxItems:"), let schema, let property {
                limits["\(schema).\(property)#"] = Int(trimmed.dropFirst(9).trimmingCharacters(in: .whitespaces))
            } else if trimmed.hasPrefix("maxLength:"), let schema, let property {
                let key = "\(schema).\(property)" + (inItems && indent == 12 ? "[]" : "")
                limits[key] = Int(trimmed.dropFirst(10).trimmingCharacters(in: .whitespaces))
            }
        }
        return limits
    }

    static let profile: [String: Int] = [
        "display_name": FieldLimits.displayName, "given_name": FieldLimits.givenName,
        "family_name": FieldLimits.familyName, "locale": FieldLimits.locale, "timezone": FieldLimits.timezone,
        "avatar_url": FieldLimits.avatarURL,
    ]

    /// What each request schema must say, from the code's constants.
    static let expected: [String: [String: Int]] = [
        "RegisterRequest": profile.merging(
            ["email": FieldLimits.storedEmail, "password": FieldLimits.passwordBytes]) { $1 },
        "LoginRequest": ["email": FieldLimits.email, "password": FieldLimits.password],
        "RefreshRequest": ["refresh_token": FieldLimits.refreshToken],
        "VerifyRequest": [
            "token": FieldLimits.introspectedToken, "required_permissions#": FieldLimits.permissionsPerRole,
            "required_permissions[]": FieldLimits.arrayItem,
        ],
        "UpdateMeRequest": profile.merging(
            ["email": FieldLimits.storedEmail, "current_password": FieldLimits.password]) { $1 },
        "ChangePasswordRequest": ["current_password": FieldLimits.password, "new_password": FieldLimits.passwordBytes],
        "AdminCreateUserRequest": profile.merging([
            "email": FieldLimits.storedEmail, "password": FieldLimits.passwordBytes,
            "roles#": FieldLimits.rolesPerUser, "roles[]": FieldLimits.roleName,
        ]) { $1 },
        "AdminUpdateUserRequest": profile.merging([
            "email": FieldLimits.storedEmail, "password": FieldLimits.passwordBytes,
            "roles#": FieldLimits.rolesPerUser, "roles[]": FieldLimits.roleName,
        ]) { $1 },
        "CreateRoleRequest": [
            "name": FieldLimits.roleName, "description": FieldLimits.roleDescription,
            "permissions#": FieldLimits.permissionsPerRole, "permissions[]": FieldLimits.permission,
        ],
        "UpdateRoleRequest": [
            "name": FieldLimits.roleName, "description": FieldLimits.roleDescription,
            "permissions#": FieldLimits.permissionsPerRole, "permissions[]": FieldLimits.permission,
        ],
        "CreateServiceClientRequest": ["name": FieldLimits.serviceClientName],
        "MFABeginRequest": ["current_password": FieldLimits.password],
        "MFACodeRequest": ["code": FieldLimits.mfaCode],
        "MFADisableRequest": ["current_password": FieldLimits.password, "code": FieldLimits.mfaCode],
        "MFAVerifyRequest": [
            "mfa_token": FieldLimits.mfaToken, "code": FieldLimits.mfaCode, "recovery_code": FieldLimits.mfaCode,
        ],
        "EmailVerifyRequest": [
            "token": FieldLimits.mailedToken, "email": FieldLimits.email, "code": FieldLimits.mfaCode,
        ],
        "ForgotPasswordRequest": ["email": FieldLimits.email],
        "ResetPasswordRequest": [
            "token": FieldLimits.mailedToken, "email": FieldLimits.email, "code": FieldLimits.mfaCode,
            "new_password": FieldLimits.password,
        ],
        "PersonalAccessTokenRequest": [
            "name": FieldLimits.personalTokenName,
            "permissions#": FieldLimits.permissionsPerToken, "permissions[]": FieldLimits.permission,
        ],
    ]

    @Test func everyRequestLimitInTheDocumentIsTheOneTheCodeEnforces() throws {
        let documented = try Self.documentedLimits()
        for (schema, properties) in Self.expected {
            for (property, limit) in properties {
                let key = "\(schema).\(property)"
                #expect(
                    documented[key] == limit,
                    "\(key): document says \(documented[key].map(String.init) ?? "nothing")"
                )
            }
        }
        // And no request schema documents a limit this test does not hold.
        let held = Set(Self.expected.flatMap { schema, properties in properties.keys.map { "\(schema).\($0)" } })
        let requestLimits = documented.keys.filter { $0.split(separator: ".")[0].hasSuffix("Request") }
        #expect(Set(requestLimits).subtracting(held).isEmpty, "\(Set(requestLimits).subtracting(held).sorted())")
    }
}
