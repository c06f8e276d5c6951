import Foundation

/// How a ``WorkerService`` runs. Every value has a documented default; the `lazyrabbit worker`
/// command overrides them from flags.
///
/// ```swift
/// var configuration = WorkerConfiguration()
/// configuration.taskQueues = ["default", "billing"]
/// configuration.concurrency = 8
/// ```
public struct WorkerConfiguration: Sendable {
    /// Unique per worker process (default: the host name and 8 random hex digits, `web-1-3f9a0c12`).
    /// Carried in every report and heartbeat.
    public var workerID: String
    /// The task queues to consume (default `["default"]`), each in every lane
    /// (``WorkerTopology/lanesPerQueue``: `<prefix>.tasks.<queue>`, `<prefix>.tasks.<queue>~1`, …).
    public var taskQueues: [String]
    /// Unacknowledged deliveries the broker may send per task queue lane (default 32, never 0):
    /// one owner's backlog fills its lane's, and the other lanes' tasks still come in.
    public var prefetch: UInt16
    /// Callbacks run at once, across all task queues (default 16); a finished task publishes its
    /// report and acknowledges its delivery while the next callback already runs.
    public var concurrency: Int
    /// TTL of the lock taken per task id; renewed every third of it while the task runs (default 30 s).
    public var lockTTL: Duration
    /// How often the worker writes its heartbeat into Redis (default 5 s).
    public var heartbeatInterval: Duration
    /// After a drain starts, how long in-flight tasks may run before they are cancelled and
    /// given back for redelivery (default 30 s).
    public var drainGracePeriod: Duration
    /// Prefix of every exchange and queue name (default `lazyrabbit`: `lazyrabbit.tasks`, …).
    public var queueNamePrefix: String
    /// Prefix of the Redis keys for task locks and heartbeats (default `lr:`).
    public var redisKeyPrefix: String
    /// Deliveries after which a task is dead-lettered instead of redelivered (default 5).
    public var deliveryLimit: Int
    /// When a delivery's lock is held by another worker — which may have died holding it — the task
    /// comes back after this long instead of being dropped (default 5 s; rounded up to a power of
    /// two milliseconds by the delay queues).
    public var busyRetryDelay: Duration
    /// How long the worker remembers that a task's report was confirmed, so a late duplicate is
    /// acknowledged without running again (default 24 h).
    public var reportedRetention: Duration
    /// A report whose encoded outcome is over this many bytes stores the outcome in the payload
    /// store (Redis, under `<redisKeyPrefix>payload:`) and carries `outcome_ref` (default 256 KiB;
    /// docs/protocol.md, "Large payloads").
    public var payloadThreshold: Int
    /// Most reports in one report message (default 64; docs/protocol.md, "Report batches"). Reports
    /// that queue up behind a publish go out together; 1 sends every report alone, as coordinators
    /// before report batches expect.
    public var reportBatchSize: Int = 64

    /// A configuration; see each property for its default.
    public init(
        workerID: String = WorkerConfiguration.defaultWorkerID(),
        taskQueues: [String] = ["default"],
        prefetch: UInt16 = 32,
        concurrency: Int = 16,
        lockTTL: Duration = .seconds(30),
        heartbeatInterval: Duration = .seconds(5),
        drainGracePeriod: Duration = .seconds(30),
        queueNamePrefix: String = "lazyrabbit",
        redisKeyPrefix: String = "lr:",
        deliveryLimit: Int = 5,
        busyRetryDelay: Duration = .seconds(5),
        reportedRetention: Duration = .seconds(86_400),
        payloadThreshold: Int = 256 * 1024
    ) {
        precondition(prefetch > 0 && concurrency > 0, "prefetch and concurrency must be positive")
        self.workerID = workerID
        self.taskQueues = taskQueues
        self.prefetch = prefetch
        self.concurrency = concurrency
        self.lockTTL = lockTTL
        self.heartbeatInterval = heartbeatInterval
        self.drainGracePeriod = drainGracePeriod
        self.queueNamePrefix = queueNamePrefix
        self.redisKeyPrefix = redisKeyPrefix
        self.deliveryLimit = deliveryLimit
        self.busyRetryDelay = busyRetryDelay
        self.reportedRetention = reportedRetention
        self.payloadThreshold = payloadThreshold
    }

    /// The host name followed by 8 random hex digits.
    public static func defaultWorkerID() -> String {
        "\(hostName)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// This machine's host name (what heartbeats report as `host`).
    static var hostName: String { ProcessInfo.processInfo.hostName }

    /// The exchange and queue names for this configuration.
    public var topology: WorkerTopology { WorkerTopology(prefix: queueNamePrefix) }
}
