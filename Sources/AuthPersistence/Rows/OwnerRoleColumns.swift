import AuthCore
import SQLKit

/// What the state lookups of a session and of a personal access token join to their row: the owner's address and
/// whether the account is active, and one of the owner's roles per row (none when the owner has no role).
struct OwnerRoleColumns: Decodable {
    var email: String
    var is_active: Bool
    var role_name: String?
    var role_permissions: JSONColumn<[String]>?
    var role_requires_mfa: Bool?

    /// The select list and joins for a table aliased `owned` with a `user_id` column.
    static let selectList: SQLQueryString = """
        u.email, u.is_active, r.name AS role_name, r.permissions AS role_permissions, r.requires_mfa AS role_requires_mfa
        """
    static let joins: SQLQueryString = """
        JOIN users u ON u.id = owned.user_id
        LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
        """
}

extension [OwnerRoleColumns] {
    var roleNames: [String] { compactMap(\.role_name).sorted() }

    /// The permissions of the roles that need a second factor (`stepUp`) or of those that do not.
    func permissions(stepUp: Bool) -> [String] {
        Permission.union(filter { ($0.role_requires_mfa == true) == stepUp }.compactMap { $0.role_permissions?.value })
    }
}

extension SQLRow {
    /// The row as `Model` and as the owner's columns beside it.
    func decodeWithOwner<Model: Decodable>(_: Model.Type) throws -> (Model, OwnerRoleColumns) {
        (try decode(model: Model.self), try decode(model: OwnerRoleColumns.self))
    }
}
