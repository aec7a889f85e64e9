import AuthCore

/// `POST /admin/roles` and `PUT /admin/roles/{name}` (where `name`, if sent, must be the role's own).
struct RoleRequest: RequestBody {
    let name: String?
    let description: String?
    let permissions: [String]?
    /// Step-up: the role's permissions count only in sessions that passed a second factor.
    let requires_mfa: Bool?

    static let maxLengths = [
        "name": FieldLimits.roleName, "description": FieldLimits.roleDescription,
        "permissions": FieldLimits.arrayItem,
    ]
    static let maxCounts = ["permissions": FieldLimits.permissionsPerRole]
}
