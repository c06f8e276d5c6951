/// One fault of the suite (docs/faults.md): what it breaks, and the workload it needs to hurt.
public enum Fault: String, CaseIterable, Sendable, Codable {
    case workerKill = "worker-kill"
    case workerDrainParallel = "worker-drain-parallel"
    case brokerRestart = "broker-restart"
    case brokerKill = "broker-kill"
    case postgresRestart = "postgres-restart"
    case coordinatorKill = "coordinator-kill"
    case twoCoordinators = "two-coordinators"
    case redisFlushAndLockExpiry = "redis-flush-and-lock-expiry"
    case duplicatePublish = "duplicate-publish"
    case poisonMessage = "poison-message"
    case parallel50Kill = "parallel-50-kill"

    /// One line: what is done to the cluster.
    public var summary: String {
        switch self {
        case .workerKill: "kill -9 a worker while callbacks are in flight (sink delay 500 ms); start a replacement"
        case .workerDrainParallel: "SIGTERM a worker during a 20-branch parallel state; start a replacement"
        case .brokerRestart: "rabbitmqctl stop_app / start_app under load"
        case .brokerKill: "kill -9 the broker (beam.smp), then boot it again"
        case .postgresRestart: "pg_ctlcluster restart during transitions"
        case .coordinatorKill: "kill -9 the coordinator under load; start it again on the same port"
        case .twoCoordinators: "two coordinator replicas from the start; kill -9 one halfway"
        case .redisFlushAndLockExpiry: "Redis FLUSHALL while 3 s callbacks run under 1 s locks"
        case .duplicatePublish: "publish every tenth published task again, same message id"
        case .poisonMessage: "an undecodable body on the task queue: dead-lettered, no worker dies"
        case .parallel50Kill: "kill -9 a worker halfway through 50-branch parallel states"
        }
    }

    /// Whether it stops, kills or flushes a server other runs share (kept out of CI).
    public var touchesSharedServers: Bool {
        [.brokerRestart, .brokerKill, .postgresRestart, .redisFlushAndLockExpiry].contains(self)
    }

    /// The workload and cluster shape it runs with.
    var plan: FaultPlan {
        var plan = FaultPlan()
        switch self {
        case .workerKill:
            plan.sinkDelay = .milliseconds(500)
            plan.lockTTLSeconds = 3
        case .workerDrainParallel:
            plan.branches = 20
            plan.executionShare = 0.25
        case .parallel50Kill:
            plan.branches = 50
            plan.executionShare = 0.1
            plan.sinkDelay = .milliseconds(50)
            plan.lockTTLSeconds = 3
        case .coordinatorKill:
            plan.sinkDelay = .milliseconds(300)
        case .twoCoordinators:
            plan.coordinators = 2
        case .redisFlushAndLockExpiry:
            plan.lockTTLSeconds = 1
            plan.slowLastMilliseconds = 3000
        case .poisonMessage:
            plan.expectedDeadLetters = 1
        case .brokerRestart, .brokerKill, .postgresRestart, .duplicatePublish:
            break
        }
        return plan
    }
}

/// The workload and cluster shape of one fault.
struct FaultPlan: Sendable {
    /// Branches of the workflow's `parallel` state.
    var branches = 3
    /// How long the effect sink takes to answer a callback.
    var sinkDelay: Duration = .milliseconds(100)
    /// The last state's callback takes this long instead (a callback longer than the lock's TTL).
    var slowLastMilliseconds: Int?
    /// Workers' `--lock-ttl` (their default, 30 s, when `nil`).
    var lockTTLSeconds: Int?
    /// Coordinator replicas.
    var coordinators = 1
    /// Poison messages the fault puts in a dead-letter queue on purpose.
    var expectedDeadLetters = 0
    /// The share of `--executions` it submits (wide parallel states carry many more tasks each).
    var executionShare = 1.0
}
