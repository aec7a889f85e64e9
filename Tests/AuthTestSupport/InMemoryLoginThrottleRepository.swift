import AuthCore
import Foundation

struct InMemoryLoginThrottleRepository: LoginThrottleRepository {
    let context: InMemoryContext

    func state(key: String) async throws -> LoginThrottleState? {
        try context.read { $0.loginThrottle[key] }
    }

    /// One atomic step. Like the SQL store, `update` is handed nil for a row that counts no failure.
    func modify(
        key: String,
        _ update: @escaping @Sendable (LoginThrottleState?) -> LoginThrottleState
    ) async throws -> LoginThrottleState {
        try await context.write { s in
            let previous = s.loginThrottle[key].flatMap { $0.failures == 0 && $0.hourFailures == 0 ? nil : $0 }
            let next = update(previous)
            s.loginThrottle[key] = next
            return next
        }
    }

    func reset(key: String) async throws {
        try await context.write { s in s.loginThrottle[key] = nil }
    }

    func countLocked(at now: Date) async throws -> Int {
        try context.read { s in s.loginThrottle.values.filter { ($0.lockedUntil ?? .distantPast) > now }.count }
    }
}
