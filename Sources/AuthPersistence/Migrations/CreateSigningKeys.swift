import FluentKit

struct CreateSigningKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("signing_keys")
            .field("kid", .string, .identifier(auto: false))
            .field("algorithm", .string, .required)
            .field("private_key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("signing_keys").delete()
    }
}
