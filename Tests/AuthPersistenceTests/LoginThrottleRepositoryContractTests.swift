import AuthCore
import AuthTestSupport
import Foundation
import Synchronization
import Testing

extension RepositoryContractTests {
    @Suite struct LoginThrottleRows {
        static func counted(_ failures: Int, lockedUntil: Date? = nil) -> LoginThrottleState {
            LoginThrottleState(
                failures: failures,
                windowStartedAt: Fixture.at(1),
                hourFailures: failures * 10,
                hourStartedAt: Fixture.at(2),
                lockedUntil: lockedUntil
            )
        }

        @Test(arguments: StoreKind.all)
        func modifyHandsOverTheStoredStateAndStoresTheResult(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let throttle = store.loginThrottle
                #expect(try await throttle.state(key: "k") == nil)
                // What the stored result was computed from: what `update` was handed on its last call.
                func modify(
                    _ update: @escaping @Sendable (LoginThrottleState?) -> LoginThrottleState
                ) async throws -> (stored: LoginThrottleState, handed: LoginThrottleState?) {
                    let seen = Seen()
                    let stored = try await throttle.modify(key: "k") { previous in
                        seen.append(previous)
                        return update(previous)
                    }
                    return (stored, try #require(seen.values.last))
                }
                var result = try await modify { _ in Self.counted(1) }
                #expect(result.stored == Self.counted(1) && result.handed == nil)
                #expect(try await throttle.state(key: "k") == Self.counted(1))
                result = try await modify { previous in
                    Self.counted((previous?.failures ?? 0) + 1, lockedUntil: Fixture.at(900))
                }
                #expect(result.stored == Self.counted(2, lockedUntil: Fixture.at(900)))
                #expect(result.handed == Self.counted(1))
                #expect(try await throttle.state(key: "k") == Self.counted(2, lockedUntil: Fixture.at(900)))
                #expect(try await throttle.state(key: "other") == nil)

                try await throttle.reset(key: "k")
                #expect(try await throttle.state(key: "k") == nil)
                result = try await modify { _ in Self.counted(0) }
                #expect(result.handed == nil)
                // A row that counts no failure is handed over as none.
                #expect(try await throttle.state(key: "k") == Self.counted(0))
                result = try await modify { _ in Self.counted(3) }
                #expect(result.handed == nil && result.stored == Self.counted(3))
                #expect(try await throttle.state(key: "k") == Self.counted(3))
                try await throttle.reset(key: "missing")
            }
        }

        @Test(arguments: StoreKind.all)
        func concurrentModificationsLoseNoUpdate(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            _ = try await store.loginThrottle.modify(key: "busy") { previous in
                                Self.counted((previous?.failures ?? 0) + 1)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.loginThrottle.state(key: "busy") == Self.counted(20))
            }
        }
    }
}

/// What a `modify` closure was handed, in order.
final class Seen: Sendable {
    private let storage = Mutex<[LoginThrottleState?]>([])
    func append(_ value: LoginThrottleState?) { storage.withLock { $0.append(value) } }
    var values: [LoginThrottleState?] { storage.withLock { $0 } }
}
