import Foundation
import Metrics
import Synchronization

/// Admission control for password hashing. bcrypt runs on a few threads; a request that needs it (login,
/// registration, a password change or reset) takes a place here first, and is refused at once as `overloaded`, with
/// the seconds after which to retry, when the places ahead of it would keep it waiting longer than `maxWait`: so
/// logins beyond what the machine can hash are answered in microseconds instead of queueing without bound until
/// clients time out.
///
/// The wait is estimated from the places taken and the measured time of a hash (a moving average that includes the
/// time the bcrypt threads lose to other work on a busy machine): `ceil(places / threads) × seconds per hash`.
public final class HashAdmission: Sendable {
    private let taken = Atomic<Int>(0)
    private let nanosecondsPerHash: Atomic<Int>
    public let threads: Int
    /// `AUTH_HASH_QUEUE_MAX_WAIT_MS`; zero turns admission off.
    public let maxWait: TimeInterval

    public init(threads: Int, maxWait: TimeInterval, secondsPerHash: TimeInterval) {
        self.threads = max(1, threads)
        self.maxWait = maxWait
        self.nanosecondsPerHash = Atomic(max(1, Int(secondsPerHash * 1e9)))
    }

    public var inFlight: Int { taken.load(ordering: .relaxed) }
    public var secondsPerHash: TimeInterval { TimeInterval(nanosecondsPerHash.load(ordering: .relaxed)) / 1e9 }

    /// The wait (including its own hash) a request taking the `place`-th place would have.
    func expectedWait(place: Int) -> TimeInterval {
        TimeInterval((place + threads - 1) / threads) * secondsPerHash
    }

    /// Takes a place, or throws `AuthError.overloaded` with the seconds after which one is likely free.
    public func enter() throws {
        let place = taken.add(1, ordering: .acquiringAndReleasing).newValue
        guard maxWait > 0, place > threads, expectedWait(place: place) > maxWait else { return }
        taken.subtract(1, ordering: .acquiringAndReleasing)
        Counter(label: "authd_hash_admission_refused_total").increment()
        let retry = max(1, Int(expectedWait(place: place - threads).rounded(.up)))
        throw AuthError.overloaded(retryAfter: retry)
    }

    public func leave() { taken.subtract(1, ordering: .acquiringAndReleasing) }

    /// Runs `body` holding a place.
    public func admitted<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        return try await body()
    }

    /// A hash took this long: the average moves an eighth of the way.
    func record(nanoseconds: Int) {
        var current = nanosecondsPerHash.load(ordering: .relaxed)
        while true {
            let next = max(1, current + (nanoseconds - current) / 8)
            let (exchanged, original) = nanosecondsPerHash.compareExchange(
                expected: current,
                desired: next,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }
}
