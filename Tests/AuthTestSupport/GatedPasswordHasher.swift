import AuthCore
import Synchronization

/// A password hasher whose next `verify` waits until the test opens the gate: a race made deterministic (the
/// check of a password, with something else happening while it runs).
public final class GatedPasswordHasher: PasswordHasher {
    private let inner = CountingPasswordHasher()
    private let state = Mutex<(armed: Bool, entered: Bool, waiter: CheckedContinuation<Void, Never>?)>(
        (false, false, nil)
    )

    public init() {}

    /// The next `verify` will wait in `open()`'s stead.
    public func arm() { state.withLock { $0.armed = true } }

    /// Waits until an armed `verify` is inside.
    public func waitUntilEntered() async {
        while !state.withLock({ $0.entered }) { await Task.yield() }
    }

    /// Lets the waiting `verify` finish.
    public func open() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            defer { s.waiter = nil }
            s.armed = false
            return s.waiter
        }
        waiter?.resume()
    }

    public func hash(_ password: String) async throws -> String { try await inner.hash(password) }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let armed = state.withLock { $0.armed }
        if armed {
            await withCheckedContinuation { continuation in
                state.withLock {
                    $0.entered = true
                    $0.waiter = continuation
                }
            }
        }
        return try await inner.verify(password, hash: hash)
    }
}
