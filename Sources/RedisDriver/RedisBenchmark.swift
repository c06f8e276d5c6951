import Foundation

/// Measures lock acquire+release cycles per second through ``RedisLockService`` beside the
/// ceiling that `redis-benchmark` measures on the same server in the same run. Prints nothing and
/// asserts nothing about time; ``RedisBenchmarkResult/description`` is the report.
///
/// ```swift
/// let result = try await RedisBenchmark.run(url: ServerSettings.redisURL)
/// print(result)
/// ```
public enum RedisBenchmark {
    /// Runs, in order: `cycles` cycles one at a time; `cycles` cycles spread over `concurrency`
    /// tasks sharing a pool of `poolSize` connections; `cycles` cycles as pipelined batches of
    /// `batchSize` keys (one round trip acquires a batch, one releases it), one task per
    /// connection; then `redis-benchmark` (`clients` connections, `ceilingRequests` requests per
    /// run) for `SET` and for the acquire and release scripts by `EVALSHA`. Every key it writes
    /// (under `lrbench:<uuid>:`) is deleted afterwards.
    ///
    /// - Throws: ``RedisError``, with code ``RedisError/Code/benchmarkFailed`` when
    ///   `redis-benchmark` is missing or prints no figure.
    public static func run(
        url: String, cycles: Int = 20_000, concurrency: Int = 16, poolSize: Int = 4, batchSize: Int = 100,
        ceilingRequests: Int = 100_000, clients: Int = 50
    ) async throws -> RedisBenchmarkResult {
        let configuration = try RedisConfiguration(url: url)
        let pool = RedisPool(configuration: configuration, size: poolSize)
        let prefix = "lrbench:\(UUID().uuidString):"
        let locks = RedisLockService(pool: pool, keyPrefix: prefix)
        do {
            _ = try await cycle(locks, key: "warm-up", count: 200)
            let sequential = try await measure(cycles) { try await cycle(locks, key: "sequential", count: cycles) }
            let concurrent = try await measure(cycles) {
                try await spread(cycles, over: concurrency) { task, share in
                    try await cycle(locks, key: "concurrent-\(task)", count: share)
                }
            }
            let pipelined = try await measure(cycles) {
                try await spread(cycles, over: poolSize) { task, share in
                    try await batches(locks, key: "pipelined-\(task)", count: share, batchSize: batchSize)
                }
            }
            let tool = RedisBenchmarkTool(configuration: configuration, requests: ceilingRequests, clients: clients)
            let set = try await tool.requestsPerSecond(["-r", "1000000", "SET", prefix + "set:__rand_int__", "value"])
            let (acquireSHA, releaseSHA) = try await pool.withConnection { connection in
                (try await connection.load(RedisLockService.acquireScript), try await connection.load(RedisLockService.releaseScript))
            }
            let key = prefix + "rb:{__rand_int__}"
            let acquire = try await tool.requestsPerSecond(["-r", "1000000", "EVALSHA", acquireSHA, "2", key, key + ":fence", "owner", "1"])
            let release = try await tool.requestsPerSecond(["-r", "1000000", "EVALSHA", releaseSHA, "1", key, "owner"])
            try await deleteKeys(matching: prefix + "*", pool: pool)
            return RedisBenchmarkResult(
                cycles: cycles, concurrency: concurrency, poolSize: poolSize, batchSize: batchSize, clients: clients,
                sequentialCyclesPerSecond: sequential, concurrentCyclesPerSecond: concurrent,
                pipelinedCyclesPerSecond: pipelined,
                ceilingSetRequestsPerSecond: set, ceilingAcquireRequestsPerSecond: acquire,
                ceilingReleaseRequestsPerSecond: release)
        } catch {
            try? await deleteKeys(matching: prefix + "*", pool: pool)
            throw error
        }
    }

    /// `count` acquire+release cycles on one key, one at a time.
    private static func cycle(_ locks: RedisLockService, key: String, count: Int) async throws {
        for _ in 0..<count {
            guard let grant = try await locks.acquire(key, ttlMilliseconds: 30_000) else {
                throw RedisError(.unexpectedReply, "a free lock was refused", context: key)
            }
            try await locks.release(grant)
        }
    }

    /// `count` cycles in batches of `batchSize` keys: acquire a batch in one pipeline, release it in another.
    private static func batches(_ locks: RedisLockService, key: String, count: Int, batchSize: Int) async throws {
        var done = 0
        while done < count {
            let keys = (0..<min(max(1, batchSize), count - done)).map { "\(key)-\($0)" }
            let grants = try await locks.acquire(keys, ttlMilliseconds: 30_000).compactMap { $0 }
            guard grants.count == keys.count else {
                throw RedisError(.unexpectedReply, "free locks were refused", context: key)
            }
            _ = try await locks.releaseIfHeld(grants)
            done += keys.count
        }
    }

    /// Runs `body(task, share)` in `tasks` concurrent tasks that split `total` between them.
    private static func spread(_ total: Int, over tasks: Int, _ body: @escaping @Sendable (Int, Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                let share = total / tasks + (task < total % tasks ? 1 : 0)
                group.addTask { try await body(task, share) }
            }
            try await group.waitForAll()
        }
    }

    /// Operations per second of `body`, which performs `operations` operations.
    private static func measure(_ operations: Int, _ body: () async throws -> Void) async throws -> Double {
        let elapsed = try await ContinuousClock().measure { try await body() }
        let seconds = elapsed / .seconds(1)
        return Double(operations) / max(seconds, 1e-9)
    }

    private static func deleteKeys(matching pattern: String, pool: RedisPool) async throws {
        try await pool.withConnection { connection in try await deleteKeys(matching: pattern, on: connection) }
    }

    /// Not optimised: Swift 6.3.1's optimiser crashes (signal 11 while splitting the coroutine)
    /// on this loop in release builds. It runs once per benchmark, so speed does not matter.
    @_optimize(none)
    private static func deleteKeys(matching pattern: String, on connection: RedisConnection) async throws {
        var cursor = "0"
        repeat {
            let reply = try await connection.command(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"]).checked(context: "SCAN")
            guard let parts = reply.elements, parts.count == 2, let next = parts[0].text, let keys = parts[1].elements else {
                throw RedisError(.unexpectedReply, "SCAN returned \(reply)")
            }
            let names = keys.compactMap(\.text)
            if !names.isEmpty { _ = try await connection.command(["UNLINK"] + names).checked(context: "UNLINK") }
            cursor = next
        } while cursor != "0"
    }
}
