import AuthCore

/// `POST /admin/roles` and `PUT /admin/roles/{name}` (where `name`, if sent, must be the role's own).
struct RoleRequest: RequestBody {
    let name: String?
    let description: String?
    let permissions: [String]?

    static let maxLengths = [
        "name": FieldLimits.roleName, "description": FieldLimits.roleDescription,
        "permissions": FieldLimits.arrayItem,
    ]
    static let maxCounts = ["permissions": FieldLimits.permissionsPerRole]
}
