import AuthCore
import Foundation

/// The API's JSON for users and audit events, for the command line: `authd users show --json` prints what
/// `GET /admin/users/{id}` answers, and `authd audit tail --json` one `GET /admin/audit-events` item a line.
public enum APIJSON {
    public static func user(_ value: UserWithPermissions) throws -> String {
        try text(UserResponse(value))
    }

    /// A page as `GET /admin/users` answers it: `items`, `page`, `per_page`, `total`.
    public static func users(_ page: Page<UserWithPermissions>) throws -> String {
        try text(PageResponse(page, UserResponse.init))
    }

    public static func auditEvent(_ event: AuditEvent) throws -> String {
        try text(AuditEventResponse(event))
    }

    private static func text(_ value: some Encodable) throws -> String {
        String(decoding: try JSONResponse.encoder.encode(value), as: UTF8.self)
    }
}
