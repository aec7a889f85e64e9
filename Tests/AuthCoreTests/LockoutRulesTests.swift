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

/// The attempt budget is spent before bcrypt, so a burst cannot outrun it.
@Suite struct LockoutBurstTests {
    @Test func aBurstOfConcurrentWrongPasswordsGetsAtMostMaxFailuresChecks() async throws {
        let harness = try await DomainHarness { $0.loginMaxFailures = 5 }
        let user = try await harness.register()
        let login = harness.services.login
        let before = harness.hasher.comparisons
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await login.login(email: user.email, password: "wrong password", meta: RequestMeta())
                        return "ok"
                    } catch let error as AuthError {
                        return error.code
                    } catch {
                        return "other"
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(harness.hasher.comparisons - before == 5)
        #expect(outcomes == ["invalid_credentials": 5, "login_throttled": 35])
    }
}
