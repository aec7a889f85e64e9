import AuthCore
import Synchronization

/// A password hasher for domain tests: no bcrypt work, and it counts the comparisons it is asked for.
public final class CountingPasswordHasher: PasswordHasher {
    private let verifications = Mutex(0)

    public init() {}

    public var comparisons: Int { verifications.withLock { $0 } }

    public func hash(_ password: String) async throws -> String { "plain:" + password }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        verifications.withLock { $0 += 1 }
        return hash == "plain:" + password
    }
}
