import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// More logins than bcrypt can serve in time are refused at once with 503 `overloaded` and `Retry-After`
/// (admission control), and a refused login costs the account nothing.
@Suite struct AdmissionControlTests {
    /// Every password check takes 300 ms, so concurrent logins hold their places together.
    final class SlowHasher: PasswordHasher, Sendable {
        let inner = CountingPasswordHasher()
        func hash(_ password: String) async throws -> String { try await inner.hash(password) }
        func verify(_ password: String, hash: String) async throws -> Bool {
            try await Task.sleep(for: .milliseconds(300))
            return try await inner.verify(password, hash: hash)
        }
    }

    @Test(arguments: TestDatabase.all)
    func loginsBeyondTheQueueAreRefusedAtOnce(_ db: TestDatabase) async throws {
        var configuration = testConfiguration()
        configuration.hashQueueMaxWaitMilliseconds = 1
        configuration.loginMaxFailures = 1_000
        try await withScratchDatabase(db, configuration) { configuration in
            let app = try await buildApplication(configuration: configuration, passwordHasher: SlowHasher())
            try await app.application.test(.router) { client in
                let api = TestAPI(client: client)
                let email = uniqueEmail()
                #expect(try await api.register(email).status == .created)
                let threads = app.services.hashAdmission.threads
                let answers = try await withThrowingTaskGroup(of: (HTTPResult, Duration).self) { group in
                    for _ in 0..<(threads + 40) {
                        group.addTask {
                            let sent = ContinuousClock.now
                            let answer = try await api.login(email, "wrong password 123")
                            return (answer, ContinuousClock.now - sent)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let refused = answers.filter { $0.0.status == .serviceUnavailable }
                let checked = answers.filter { $0.0.status == .unauthorized }
                #expect(refused.count + checked.count == answers.count)
                #expect(!refused.isEmpty && checked.count >= threads)
                #expect(
                    refused.allSatisfy { $0.0.code == "overloaded" && Int($0.0.header("Retry-After") ?? "") ?? 0 >= 1 }
                )
                // Refused without waiting for a hash (each takes 300 ms here).
                #expect(refused.allSatisfy { $0.1 < .milliseconds(300) })
                // Only the checked attempts count as failed logins (audited, and toward the lockout).
                var query = AuditQuery()
                query.action = "login.failed"
                query.perPage = 200
                #expect(try await app.services.store.audit.list(query).items.count == checked.count)
                // Once the queue is empty, logins are admitted again.
                #expect(try await api.login(email).status == .ok)
                #expect(app.services.hashAdmission.inFlight == 0)
            }
        }
    }
}
