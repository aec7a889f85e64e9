/// Permission strings are `resource:action`; `resource:*` and `*` are wildcards.
public enum Permission {
    /// Whether any of `granted` covers `required`.
    public static func grants(_ granted: [String], _ required: String) -> Bool {
        granted.contains { covers($0, required) }
    }

    public static func grantsAll(_ granted: [String], _ required: [String]) -> Bool {
        required.allSatisfy { grants(granted, $0) }
    }

    static func covers(_ grant: String, _ required: String) -> Bool {
        if grant == "*" || grant == required { return true }
        if grant.hasSuffix(":*") {
            let resource = grant.dropLast(1)  // keeps the colon
            return required.hasPrefix(resource) && required.count > resource.count
        }
        return false
    }

    /// The longest permission string, in bytes.
    public static let maxLength = 128

    /// `*`, `resource:*` or `resource:action`, with lower-case letters, digits, `_`, `-` and `.`.
    public static func isValid(_ permission: String) -> Bool {
        if permission == "*" { return true }
        let parts = permission.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, permission.utf8.count <= maxLength else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
        guard !parts[0].isEmpty, parts[0].allSatisfy({ allowed.contains($0) }) else { return false }
        return parts[1] == "*" || (!parts[1].isEmpty && parts[1].allSatisfy { allowed.contains($0) })
    }

    /// What both lists grant, as permission strings, sorted: each entry of one list that the other covers. A personal
    /// access token's effective permissions are its list intersected with its user's current ones, so `["users:*"]`
    /// on a user holding `users:read` is `["users:read"]`, and removing the user's role narrows every token at once.
    public static func intersection(_ a: [String], _ b: [String]) -> [String] {
        Array(Set(a.filter { grants(b, $0) } + b.filter { grants(a, $0) })).sorted()
    }

    /// The union of role permissions, deduplicated and sorted.
    public static func union(_ lists: [[String]]) -> [String] {
        Array(Set(lists.joined())).sorted()
    }

    /// The permissions the admin API checks: the one place their names are written.
    public static let usersRead = "users:read"
    public static let usersWrite = "users:write"
    public static let usersDelete = "users:delete"
    public static let sessionsRead = "sessions:read"
    public static let sessionsWrite = "sessions:write"
    public static let rolesRead = "roles:read"
    public static let rolesWrite = "roles:write"
    public static let auditRead = "audit:read"
    public static let clientsWrite = "clients:write"
    public static let tokensRead = "tokens:read"
    public static let tokensWrite = "tokens:write"
}
