public import RedisDriver

/// The API's ``RateLimiting`` over the shared Redis token bucket (``RedisDriver/RedisRateLimiter``),
/// so every coordinator replica draws from one budget per principal.
public struct RedisRequestRateLimiter: RateLimiting {
    private let limiter: RedisRateLimiter

    /// Limits with `limiter`'s policy; keys are prefixed `api:`.
    public init(_ limiter: RedisRateLimiter) {
        self.limiter = limiter
    }

    public func allow(key: String) async throws -> RateDecision {
        let decision = try await limiter.take("api:\(key)")
        return RateDecision(allowed: decision.allowed, retryAfter: .milliseconds(decision.retryAfterMilliseconds))
    }
}
