public import Intelligence
public import RedisDriver

/// The ``SharedAnswerStore`` of a worker fleet, on a ``RedisCache``: each kept answer under
/// `<prefix>llm-answer:<sha-256 hex>` with the cache's lifetime as its time to live, so an answer
/// one worker paid for is reused by every worker (docs/intelligence.md, "Answer cache"). Redis
/// errors count as misses and unkept answers: the call goes to the model instead.
///
/// ```swift
/// let cache = AnswerCache(lifetime: .seconds(600), shared: RedisAnswerStore(pool: redis, keyPrefix: "lr:"))
/// ```
public struct RedisAnswerStore: SharedAnswerStore {
    private let cache: RedisCache

    /// A store on `pool`'s server under `keyPrefix` (the workers' `redisKeyPrefix`, default `lr:`).
    public init(pool: RedisPool, keyPrefix: String = "lr:") {
        cache = RedisCache(pool: pool, keyPrefix: keyPrefix + "llm-answer:")
    }

    public func value(forKey key: String) async -> [UInt8]? {
        (try? await cache.bytes(key)) ?? nil
    }

    public func keep(_ value: [UInt8], forKey key: String, lifetime: Duration) async {
        try? await cache.set(key, value, ttl: lifetime)
    }
}
