public import Intelligence
public import RedisDriver
import DriverSupport

/// The ``SharedAnswerStore`` of a worker fleet: each kept answer under
/// `<prefix>llm-answer:<sha-256 hex>` with the cache's lifetime as its time to live, so an answer
/// one worker paid for is reused by every worker (docs/intelligence.md, "Answer cache"). Redis
/// errors count as misses and unkept answers: the call goes to the model instead.
///
/// ```swift
/// let cache = AnswerCache(lifetime: .seconds(600), shared: RedisAnswerStore(pool: redis, keyPrefix: "lr:"))
/// ```
public struct RedisAnswerStore: SharedAnswerStore {
    private let pool: RedisPool
    private let keyPrefix: String

    /// A store on `pool`'s server under `keyPrefix` (the workers' `redisKeyPrefix`, default `lr:`).
    public init(pool: RedisPool, keyPrefix: String = "lr:") {
        self.pool = pool
        self.keyPrefix = keyPrefix
    }

    public func value(forKey key: String) async -> [UInt8]? {
        guard let reply = try? await pool.withConnection({ try await $0.command([Array("GET".utf8), Array(storageKey(key).utf8)]) }),
            case .string(let bytes) = reply
        else { return nil }
        return bytes
    }

    public func keep(_ value: [UInt8], forKey key: String, lifetime: Duration) async {
        let milliseconds = String(max(1, lifetime.wholeMilliseconds))
        _ = try? await pool.withConnection {
            try await $0.command([Array("SET".utf8), Array(storageKey(key).utf8), value, Array("PX".utf8), Array(milliseconds.utf8)])
        }
    }

    /// The Redis key of `key`.
    public func storageKey(_ key: String) -> String { keyPrefix + "llm-answer:" + key }
}
