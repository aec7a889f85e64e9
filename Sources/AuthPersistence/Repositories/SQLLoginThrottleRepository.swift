import AuthCore
import Foundation
import SQLKit

/// Failed-login counters per email key (`login_throttle`).
struct SQLLoginThrottleRepository: LoginThrottleRepository {
    let sql: StoreDatabase
    struct Row: Codable, Sendable {
        var email_key: String
        var failures: Int
        var window_started_at: Date
        var hour_failures: Int
        var hour_started_at: Date
        var locked_until: Date?
        var state: LoginThrottleState {
            LoginThrottleState(
                failures: failures,
                windowStartedAt: window_started_at,
                hourFailures: hour_failures,
                hourStartedAt: hour_started_at,
                lockedUntil: locked_until
            )
        }
    }

    func state(key: String) async throws -> LoginThrottleState? {
        try await sql.raw("SELECT * FROM login_throttle WHERE email_key = \(bind: key)").first(decoding: Row.self)?
            .state
    }

    /// In a transaction (the caller's, or one of its own).
    func modify(
        key: String,
        _ update: @escaping @Sendable (LoginThrottleState?) -> LoginThrottleState
    ) async throws -> LoginThrottleState {
        try await sql.transaction { tx in
            // Make sure the row exists, then lock it: concurrent failures for one email are counted one by one.
            let epoch = Date(timeIntervalSince1970: 0)
            let empty = Row(
                email_key: key,
                failures: 0,
                window_started_at: epoch,
                hour_failures: 0,
                hour_started_at: epoch,
                locked_until: nil
            )
            try await tx.insert(into: "login_throttle").model(empty).ignoringConflicts(with: ["email_key"]).run()
            // SQLite has no FOR UPDATE, and needs none: its single connection runs one transaction at a time.
            let lock: SQLQueryString = tx.isPostgres ? " FOR UPDATE" : ""
            let current = try await tx.raw("SELECT * FROM login_throttle WHERE email_key = \(bind: key)" + lock).first(
                decoding: Row.self
            )
            let previous = current.flatMap { $0.failures == 0 && $0.hour_failures == 0 ? nil : $0.state }
            let next = update(previous)
            try await tx.raw(
                """
                UPDATE login_throttle SET failures = \(bind: next.failures), window_started_at = \(bind: next.windowStartedAt),
                  hour_failures = \(bind: next.hourFailures), hour_started_at = \(bind: next.hourStartedAt),
                  locked_until = \(bind: next.lockedUntil)
                WHERE email_key = \(bind: key)
                """
            ).run()
            return next
        }
    }

    func countLocked(at now: Date) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS count FROM login_throttle WHERE locked_until > \(bind: now)")
    }

    func reset(key: String) async throws {
        try await sql.raw("DELETE FROM login_throttle WHERE email_key = \(bind: key)").run()
    }
}
