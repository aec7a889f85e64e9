import FluentKit
import FluentSQL
import SQLKit

/// Step-up by role: a role marked `requires_mfa` grants its permissions only to sessions at aal 2.
struct AddRoleRequiresMFA: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("roles").field("requires_mfa", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("roles").deleteField("requires_mfa").update()
    }
}
