public import Foundation

/// What a worker reports about itself on each heartbeat, and what ``WorkerRegistry/workers()``
/// lists for the admin CLI and autoscaling.
public struct WorkerHeartbeat: Sendable, Equatable, Codable {
    /// Unique per worker process.
    public var workerID: String
    /// The machine (or pod) it runs on.
    public var host: String
    /// When the worker process started.
    public var startedAt: Date
    /// Tasks being run right now.
    public var inFlight: Int
    /// Tasks finished since start.
    public var processed: Int
    /// Tasks that failed since start.
    public var failures: Int
    /// When the server last heard from it (the Redis server's clock); set by the registry, the
    /// value passed to ``WorkerRegistry/heartbeat(_:)`` is ignored.
    public var lastSeen: Date

    /// A heartbeat; counters default to 0 and ``lastSeen`` to the epoch (the registry sets it).
    public init(
        workerID: String, host: String, startedAt: Date,
        inFlight: Int = 0, processed: Int = 0, failures: Int = 0, lastSeen: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.workerID = workerID
        self.host = host
        self.startedAt = startedAt
        self.inFlight = inFlight
        self.processed = processed
        self.failures = failures
        self.lastSeen = lastSeen
    }

    /// The hash fields stored in Redis (times in Unix milliseconds), without `last_seen_ms`.
    var fields: [String] {
        [
            "worker_id", workerID, "host", host,
            "started_at_ms", String(Int64((startedAt.timeIntervalSince1970 * 1000).rounded())),
            "in_flight", String(inFlight), "processed", String(processed), "failures", String(failures),
        ]
    }

    /// Decodes an `HGETALL` reply; `nil` if a field is missing or malformed.
    init?(hash: [RedisReply]) {
        var values: [String: String] = [:]
        var index = 0
        while index + 1 < hash.count {
            if let name = hash[index].text, let value = hash[index + 1].text { values[name] = value }
            index += 2
        }
        func number(_ name: String) -> Int64? { values[name].flatMap { Int64($0) } }
        guard let workerID = values["worker_id"], let host = values["host"],
              let startedAt = number("started_at_ms"), let lastSeen = number("last_seen_ms"),
              let inFlight = number("in_flight"), let processed = number("processed"), let failures = number("failures")
        else { return nil }
        self.init(
            workerID: workerID, host: host, startedAt: Date(timeIntervalSince1970: Double(startedAt) / 1000),
            inFlight: Int(inFlight), processed: Int(processed), failures: Int(failures),
            lastSeen: Date(timeIntervalSince1970: Double(lastSeen) / 1000))
    }
}
