import Foundation
import HummingbirdBcrypt
import Metrics
import NIOCore
import NIOPosix

public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
    /// Whether `hash` was made with other settings than new hashes get (a changed bcrypt cost): login then stores a
    /// fresh hash of the password it has just verified.
    func needsRehash(_ hash: String) -> Bool
}

extension PasswordHasher {
    public func needsRehash(_ hash: String) -> Bool { false }
}

/// bcrypt on a thread pool of its own, so hashing never runs on an event loop or the cooperative pool.
public final class BcryptPasswordHasher: PasswordHasher {
    public let cost: Int
    private let pool: NIOThreadPool
    /// A real hash of a random password at the configured cost, compared against when the email is unknown,
    /// so an unknown email costs the same as a wrong password.
    public let dummyHash: String
    /// Places in the hashing queue (`HashAdmission`), sized by the time of a hash measured here.
    public let admission: HashAdmission

    /// One per core.
    public static var defaultThreads: Int { System.coreCount }

    public init(cost: Int, threads: Int = defaultThreads, maxQueueWait: TimeInterval = 2) {
        self.cost = cost
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.pool.start()
        let start = DispatchTime.now().uptimeNanoseconds
        self.dummyHash = Bcrypt.hash(SecureToken.generate(byteCount: 16), cost: UInt8(cost))
        self.admission = HashAdmission(
            threads: max(1, threads),
            maxWait: maxQueueWait,
            secondsPerHash: TimeInterval(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        )
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }

    public func hash(_ password: String) async throws -> String {
        let cost = UInt8(self.cost)
        return try await pool.runIfActive(eventLoop: Self.resumeOn()) {
            self.timed("hash") { Bcrypt.hash(password, cost: cost) }
        }.get()
    }

    /// A password over 72 bytes, or with a U+0000, never matches: bcrypt reads only its first 72 bytes and stops at
    /// a NUL (a C string), so such an input that starts with the real password would. It is still hashed, so the
    /// refusal takes the same time.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        let acceptable = password.utf8.count <= PasswordPolicy.maximumBytes && !password.utf8.contains(0)
        let compared = String(decoding: password.utf8.prefix(PasswordPolicy.maximumBytes), as: UTF8.self)
        let matches = try await pool.runIfActive(eventLoop: Self.resumeOn()) {
            self.timed("verify") { Bcrypt.verify(compared, hash: hash) }
        }
        .get()
        return acceptable && matches
    }

    /// `$2b$10$…`: the cost is the two digits after the second `$`.
    public func needsRehash(_ hash: String) -> Bool {
        Self.cost(of: hash) != cost
    }

    static func cost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[1].count == 2 else { return nil }
        return Int(parts[1])
    }

    /// Where the waiting task is resumed: an event loop, never the bcrypt thread (a thread that resumes a task may make
    /// libdispatch start a new cooperative-pool thread on it). The bcrypt threads run at the process's priority
    /// (a lower one starved logins under verify load: docs/benchmarks.md, "fairness").
    static func resumeOn() -> any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }

    /// Records `authd_bcrypt_duration_seconds{operation}`: the time of the hash itself, not of waiting for a thread.
    func timed<T>(_ operation: String, _ body: () -> T) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        Timer(label: "authd_bcrypt_duration_seconds", dimensions: [("operation", operation)])
            .recordNanoseconds(Int64(elapsed))
        admission.record(nanoseconds: Int(elapsed))
        return result
    }
}
