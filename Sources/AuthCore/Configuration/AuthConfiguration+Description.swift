import Foundation

/// Printing a configuration (as ServiceLifecycle does when it logs its services) never shows a secret.
extension AuthConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let db: String
        switch database {
        case .sqlite(let path): db = "sqlite://\(path)"
        case .sqliteMemory: db = "sqlite::memory:"
        case .postgres: db = "postgres://[redacted]"
        }
        return
            "AuthConfiguration(database: \(db), issuer: \(issuer), audience: \(audience), algorithm: \(jwtAlgorithm.rawValue), "
            + "bcrypt_cost: \(bcryptCost), secrets: [redacted])"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
