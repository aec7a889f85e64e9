import Foundation
import Synchronization

/// Token buckets keyed by client (per instance, in memory): `limit` requests per `window`, refilled continuously.
public final class RateLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        public var limit: Int
        public var remaining: Int
        /// Seconds until the bucket is full again (RateLimit-Reset), and until one request is allowed (Retry-After).
        public var resetAfter: Int
        public var retryAfter: Int
        /// The first refusal since the bucket last allowed a request: worth one audit event, not one per request.
        public var firstRefusal: Bool = false
    }

    struct Bucket: Sendable {
        var tokens: Double
        var updated: Date
        var refusing = false
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: any AuthClock
    private let maxKeys: Int

    public init(clock: any AuthClock, maxKeys: Int = 100_000) {
        self.clock = clock
        self.maxKeys = maxKeys
    }

    /// Whether `take` would allow a request now, without spending a token.
    public func peek(key: String, limit: Int, window: TimeInterval = 60) -> Decision {
        let now = clock.now()
        let rate = Double(limit) / window
        let tokens = buckets.withLock { buckets -> Double in
            guard let bucket = buckets[key] else { return Double(limit) }
            return min(Double(limit), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
        }
        let allowed = tokens >= 1
        return Decision(
            allowed: allowed,
            limit: limit,
            remaining: Int(tokens.rounded(.down)),
            resetAfter: Int(((Double(limit) - tokens) / rate).rounded(.up)),
            retryAfter: allowed ? 0 : max(1, Int(((1 - tokens) / rate).rounded(.up)))
        )
    }

    public func take(key: String, limit: Int, window: TimeInterval = 60) -> Decision {
        let now = clock.now()
        let rate = Double(limit) / window
        return buckets.withLock { buckets in
            if buckets.count >= maxKeys {
                // Drop buckets that have refilled: they carry no information.
                buckets = buckets.filter {
                    now.timeIntervalSince($0.value.updated) * rate + $0.value.tokens < Double(limit)
                }
                if buckets.count >= maxKeys { buckets.removeAll() }
            }
            var bucket = buckets[key] ?? Bucket(tokens: Double(limit), updated: now)
            bucket.tokens = min(Double(limit), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            let firstRefusal = !allowed && !bucket.refusing
            bucket.refusing = !allowed
            buckets[key] = bucket
            let remaining = Int(bucket.tokens.rounded(.down))
            let reset = Int(((Double(limit) - bucket.tokens) / rate).rounded(.up))
            let retry = allowed ? 0 : max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            return Decision(
                allowed: allowed,
                limit: limit,
                remaining: remaining,
                resetAfter: reset,
                retryAfter: retry,
                firstRefusal: firstRefusal
            )
        }
    }
}
