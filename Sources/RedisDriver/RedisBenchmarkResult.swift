/// Figures from one ``RedisBenchmark/run(url:cycles:concurrency:poolSize:batchSize:ceilingRequests:clients:)``.
/// A cycle is one acquire plus one release (two `EVALSHA` round trips).
public struct RedisBenchmarkResult: Sendable, Equatable, CustomStringConvertible {
    /// Cycles in each of the two measured runs.
    public var cycles: Int
    /// Tasks in the concurrent run.
    public var concurrency: Int
    /// Connections in the pool those tasks share.
    public var poolSize: Int
    /// Keys per pipelined batch.
    public var batchSize: Int
    /// `redis-benchmark` client connections.
    public var clients: Int
    /// Through ``RedisLockService``, one cycle at a time.
    public var sequentialCyclesPerSecond: Double
    /// Through ``RedisLockService``, ``concurrency`` tasks over the pool.
    public var concurrentCyclesPerSecond: Double
    /// Through ``RedisLockService``'s batch methods: one pipeline acquires ``batchSize`` keys,
    /// one releases them; one task per connection.
    public var pipelinedCyclesPerSecond: Double
    /// `redis-benchmark` running plain `SET`s on random keys, per second.
    public var ceilingSetRequestsPerSecond: Double
    /// `redis-benchmark` running the acquire script by `EVALSHA` on random keys.
    public var ceilingAcquireRequestsPerSecond: Double
    /// `redis-benchmark` running the release script by `EVALSHA`.
    public var ceilingReleaseRequestsPerSecond: Double

    /// The server's ceiling for whole cycles: one acquire and one release each.
    public var ceilingCyclesPerSecond: Double {
        1 / (1 / ceilingAcquireRequestsPerSecond + 1 / ceilingReleaseRequestsPerSecond)
    }

    /// The concurrent figure (one cycle per call) as a fraction of ``ceilingCyclesPerSecond``.
    public var concurrentRatio: Double { concurrentCyclesPerSecond / ceilingCyclesPerSecond }

    /// The pipelined figure as a fraction of ``ceilingCyclesPerSecond`` (the goal is ≥ 0.7).
    public var pipelinedRatio: Double { pipelinedCyclesPerSecond / ceilingCyclesPerSecond }

    /// The figures as a short aligned report.
    public var description: String {
        func rate(_ value: Double) -> String { String(Int(value.rounded())) }
        func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
        return """
            redis locks: acquire+release cycles/s (\(cycles) cycles per run)
              lazyrabbit, one cycle at a time                \(rate(sequentialCyclesPerSecond))
              lazyrabbit, \(concurrency) tasks over \(poolSize) connections      \(rate(concurrentCyclesPerSecond)) (\(percent(concurrentRatio)) of ceiling)
              lazyrabbit, pipelined batches of \(batchSize) × \(poolSize)      \(rate(pipelinedCyclesPerSecond)) (\(percent(pipelinedRatio)) of ceiling)
              ceiling: redis-benchmark, \(clients) clients        \(rate(ceilingCyclesPerSecond)) (EVALSHA acquire \(rate(ceilingAcquireRequestsPerSecond))/s, release \(rate(ceilingReleaseRequestsPerSecond))/s; SET \(rate(ceilingSetRequestsPerSecond))/s)
            """
    }
}
