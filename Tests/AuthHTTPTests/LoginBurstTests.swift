import AuthCore
import AuthRuntime
import AuthTestSupport
import Foundation
import HTTPTypes
import Testing

/// The per-email budget is reserved before bcrypt: a burst of concurrent wrong passwords gets at most
/// `AUTH_LOGIN_MAX_FAILURES` password checks (answered 401); every other attempt is 429 at once.
@Suite struct LoginBurstTests {
    @Test(arguments: TestDatabase.all)
    func aBurstOfFortyWrongPasswordsGetsFiveChecks(_ database: TestDatabase) async throws {
        try await withApp(database, configure: { $0.loginMaxFailures = 5 }) { api, _ in
            let (email, _) = try await api.newUser()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await api.login(email, "wrong password entirely").status }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[Int($1.code), default: 0] += 1 }
            }
            #expect(statuses == [401: 5, 429: 35], "\(statuses)")
            // Locked for the right password too.
            #expect(try await api.login(email).status == .tooManyRequests)
        }
    }
}
