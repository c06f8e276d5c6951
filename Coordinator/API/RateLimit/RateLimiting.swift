/// Decides whether one more request under a key (a principal's ``Principal/rateLimitKey``) may
/// proceed now. Implementations: ``InMemoryRateLimiter`` (one process: tests, `lazyrabbit dev`)
/// and ``RedisRequestRateLimiter`` (shared by every coordinator replica).
public protocol RateLimiting: Sendable {
    /// Takes one request's worth from `key`'s budget if there is one.
    func allow(key: String) async throws -> RateDecision
}

/// The answer of a ``RateLimiting`` limiter.
public struct RateDecision: Sendable, Equatable {
    /// Whether the request may proceed.
    public var allowed: Bool
    /// When refused, how long until it would be allowed (`Retry-After`); zero when allowed.
    public var retryAfter: Duration

    /// A decision.
    public init(allowed: Bool, retryAfter: Duration = .zero) {
        self.allowed = allowed
        self.retryAfter = retryAfter
    }

    /// `Retry-After` in whole seconds, rounded up, at least 1.
    var retryAfterSeconds: Int {
        let (seconds, attoseconds) = retryAfter.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
