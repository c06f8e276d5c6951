import Foundation
import Synchronization

/// A token bucket per key, in this process's memory: each bucket holds up to `capacity` requests
/// and refills at `refillPerSecond`. For tests and `lazyrabbit dev`; replicas need
/// ``RedisRequestRateLimiter``.
public final class InMemoryRateLimiter: RateLimiting {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let capacity: Double
    private let refillPerSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter with `policy`'s bucket size and refill rate for every key.
    public init(policy: APIConfiguration.RateLimit = .init()) {
        capacity = Double(max(1, policy.capacity))
        refillPerSecond = max(policy.refillPerSecond, 0.000_001)
    }

    public func allow(key: String) async throws -> RateDecision {
        let now = ContinuousClock.now
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (bucket.updated.duration(to: now) / .seconds(1)) * refillPerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                return RateDecision(allowed: false, retryAfter: .milliseconds(Int64(((1 - bucket.tokens) / refillPerSecond * 1000).rounded(.up))))
            }
            bucket.tokens -= 1
            return RateDecision(allowed: true)
        }
    }
}
