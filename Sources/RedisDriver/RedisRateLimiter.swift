/// A token bucket per key (an API token, a user), kept in Redis and updated by one Lua script,
/// so every coordinator replica shares the same budget.
///
/// The bucket `lr:ratelimit:{key}` is a hash `{tokens, ts}`; the script refills it by the time
/// elapsed on the server's clock (`TIME`), takes `cost` tokens if there are enough, and otherwise
/// says how long until there will be. It expires once it would be full again anyway.
///
/// ```swift
/// let limiter = RedisRateLimiter(pool: pool, policy: .init(capacity: 20, refillPerSecond: 5))
/// let decision = try await limiter.take("token:\(tokenID)")
/// if !decision.allowed { /* 429, Retry-After: decision.retryAfterMilliseconds */ }
/// ```
public struct RedisRateLimiter: Sendable {
    /// The size of a bucket and how fast it refills.
    public struct Policy: Sendable, Equatable {
        /// Most tokens a bucket holds: the largest burst.
        public var capacity: Int
        /// Tokens added per second, up to ``capacity``: the sustained rate.
        public var refillPerSecond: Double

        /// A bucket of `capacity` tokens refilled at `refillPerSecond`.
        public init(capacity: Int, refillPerSecond: Double) {
            self.capacity = capacity
            self.refillPerSecond = refillPerSecond
        }
    }

    /// The answer for one request.
    public struct Decision: Sendable, Equatable {
        /// Whether the request may proceed (its tokens were taken).
        public var allowed: Bool
        /// When refused, milliseconds until enough tokens will be there; 0 when allowed.
        public var retryAfterMilliseconds: Int64
        /// Whole tokens left after this request.
        public var remaining: Int64
    }

    static let script = RedisScript("""
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1]) or capacity
        local last = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + math.max(0, now - last) * rate / 1000)
        local allowed = 0
        local retry = 0
        if tokens >= cost then
          tokens = tokens - cost
          allowed = 1
        else
          retry = math.ceil((cost - tokens) * 1000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
        return {allowed, retry, math.floor(tokens)}
        """)

    private let pool: RedisPool
    private let keyPrefix: String
    /// The bucket size and refill rate applied to every key.
    public let policy: Policy

    /// A limiter on `pool`'s server; `keyPrefix` (default `lr:`) namespaces every key.
    public init(pool: RedisPool, policy: Policy, keyPrefix: String = "lr:") {
        self.pool = pool
        self.policy = policy
        self.keyPrefix = keyPrefix
    }

    /// Takes `cost` tokens (default 1) from `key`'s bucket if it has them.
    ///
    /// - Throws: ``RedisError/Code/invalidArgument`` if `cost` is not in `1...capacity` or the
    ///   policy's rate is not positive (such a request could never pass).
    public func take(_ key: String, cost: Int = 1) async throws -> Decision {
        guard policy.refillPerSecond > 0, policy.capacity > 0, (1...policy.capacity).contains(cost) else {
            throw RedisError(.invalidArgument, "cost \(cost) with capacity \(policy.capacity) and refill \(policy.refillPerSecond)/s")
        }
        let reply = try await pool.evaluate(
            Self.script, keys: [bucketKey(key)],
            arguments: [String(policy.capacity), String(policy.refillPerSecond), String(cost)])
        guard let values = reply.elements?.compactMap(\.integer), values.count == 3 else {
            throw RedisError(.unexpectedReply, "rate limit script returned \(reply)", context: bucketKey(key))
        }
        return Decision(allowed: values[0] == 1, retryAfterMilliseconds: values[1], remaining: values[2])
    }

    /// The hash that holds `key`'s bucket.
    public func bucketKey(_ key: String) -> String { "\(keyPrefix)ratelimit:{\(key)}" }
}
