import AuthCore
import AuthTestSupport
import Foundation
import Testing

/// The per-email lockout, on the in-memory store.
@Suite struct LockoutRulesTests {
    @Test func afterMaxFailuresEvenTheRightPasswordWaitsForTheWindow() async throws {
        let harness = try await DomainHarness {
            $0.loginMaxFailures = 3
            $0.loginLockoutSeconds = 60
        }
        let user = try await harness.register()
        for _ in 0..<3 {
            await #expect(throws: AuthError.invalidCredentials) {
                try await harness.login(user.email, "wrong password")
            }
        }
        await #expect(throws: AuthError.loginThrottled(retryAfter: 60)) { try await harness.login(user.email) }
        harness.clock.advance(by: 61)
        _ = try await harness.login(user.email)
    }

    @Test func anEmailWithNoAccountLocksTheSameWay() async throws {
        let harness = try await DomainHarness { $0.loginMaxFailures = 2 }
        for _ in 0..<2 {
            await #expect(throws: AuthError.invalidCredentials) {
                try await harness.login("nobody@example.com", "wrong password")
            }
        }
        let comparisons = harness.hasher.comparisons
        await #expect(throws: AuthError.self) { try await harness.login("nobody@example.com", "wrong password") }
        // Locked: answered without a password comparison.
        #expect(harness.hasher.comparisons == comparisons)
    }

    @Test func aSuccessfulLoginClearsTheFailures() async throws {
        let harness = try await DomainHarness { $0.loginMaxFailures = 3 }
        let user = try await harness.register()
        for _ in 0..<2 {
            await #expect(throws: AuthError.invalidCredentials) {
                try await harness.login(user.email, "wrong password")
            }
        }
        _ = try await harness.login(user.email)
        for _ in 0..<2 {
            await #expect(throws: AuthError.invalidCredentials) {
                try await harness.login(user.email, "wrong password")
            }
        }
        _ = try await harness.login(user.email)
    }

    @Test func aDisabledAccountAnswersAsAWrongPassword() async throws {
        let harness = try await DomainHarness()
        var user = try await harness.register()
        user.isActive = false
        try await harness.store.users.update(user)
        await #expect(throws: AuthError.invalidCredentials) { try await harness.login(user.email) }
    }
}
