import DriverSupport

/// Live workers, from their heartbeats.
///
/// Each worker's latest heartbeat is a hash `lr:worker:<id>` that expires after ``staleAfter``;
/// the sorted set `lr:workers` ranks worker ids by last-seen time (Unix ms, Redis server clock,
/// so workers' clocks don't matter). ``workers()`` prunes ids not seen within ``staleAfter`` and
/// ids whose hash has expired, then returns the rest.
///
/// A worker calls ``heartbeat(_:)`` every few seconds (well under ``staleAfter``), and
/// ``remove(_:)`` when it drains and exits.
public struct WorkerRegistry: Sendable {
    static let heartbeatScript = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('HSET', KEYS[1], 'last_seen_ms', now, unpack(ARGV, 3))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('ZADD', KEYS[2], now, ARGV[1])
        return now
        """)
    static let listScript = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
        local live = {}
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local hash = redis.call('HGETALL', ARGV[2] .. id)
          if #hash == 0 then redis.call('ZREM', KEYS[1], id) else live[#live + 1] = hash end
        end
        return live
        """)

    private let pool: RedisPool
    private let keyPrefix: String
    /// A worker not heard from for this long is gone; default 30 s.
    public let staleAfter: Duration

    /// A registry on `pool`'s server; `keyPrefix` (default `lr:`) namespaces every key.
    public init(pool: RedisPool, staleAfter: Duration = .seconds(30), keyPrefix: String = "lr:") {
        self.pool = pool
        self.staleAfter = staleAfter
        self.keyPrefix = keyPrefix
    }

    /// Records `heartbeat` as the worker's latest state, stamped with the server's time.
    public func heartbeat(_ heartbeat: WorkerHeartbeat) async throws {
        _ = try await pool.evaluate(
            Self.heartbeatScript, keys: [workerKey(heartbeat.workerID), setKey],
            arguments: [heartbeat.workerID, String(staleMilliseconds)] + heartbeat.fields)
    }

    /// Workers seen within ``staleAfter``, oldest heartbeat first; stale entries are deleted.
    public func workers() async throws -> [WorkerHeartbeat] {
        let reply = try await pool.evaluate(
            Self.listScript, keys: [setKey], arguments: [String(staleMilliseconds), keyPrefix + "worker:"])
        guard let hashes = reply.elements else {
            throw RedisError(.unexpectedReply, "worker list returned \(reply)", context: setKey)
        }
        return hashes.compactMap { $0.elements.flatMap(WorkerHeartbeat.init(hash:)) }
    }

    /// Forgets a worker (on clean shutdown).
    public func remove(_ workerID: String) async throws {
        try await pool.withConnection { connection in
            for reply in try await connection.pipeline([["DEL", workerKey(workerID)], ["ZREM", setKey, workerID]]) {
                _ = try reply.checked(context: "remove worker")
            }
        }
    }

    private var setKey: String { keyPrefix + "workers" }

    private func workerKey(_ workerID: String) -> String { keyPrefix + "worker:" + workerID }

    private var staleMilliseconds: Int64 {
        max(1, staleAfter.wholeMilliseconds)
    }
}
