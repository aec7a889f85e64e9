import FluentKit

struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttle")
            .field("email_key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_started_at", .datetime, .required)
            .field("hour_failures", .int, .required)
            .field("hour_started_at", .datetime, .required)
            .field("locked_until", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("login_throttle").delete()
    }
}
