public import RabbitMQDriver
import WorkflowDSL

/// The RabbitMQ names of docs/protocol.md ("Transport on RabbitMQ"), under one prefix
/// (`lazyrabbit` in production; tests use a unique one).
///
/// | what | name |
/// | --- | --- |
/// | task exchange (direct, key = task queue and lane) | `<prefix>.tasks` |
/// | task queue lanes (quorum, delivery limit, dead-letters) | `<prefix>.tasks.<queue>`, `<prefix>.tasks.<queue>~1` … `~3` |
/// | report exchange (direct) and queue (quorum), key `report` | `<prefix>.reports` |
/// | dead-letter exchange (direct, key = task queue) | `<prefix>.dead` |
/// | dead-letter queue | `<prefix>.dead.<queue>` |
/// | control exchange (fanout) | `<prefix>.control` |
/// | a worker's control queue (exclusive, auto-delete) | `<prefix>.control.<worker id>` |
///
/// Each task queue has ``lanesPerQueue`` lanes, one quorum queue each, and an execution's tasks go to the
/// lane of its owner (``lane(of:owner:)``): a worker consumes every lane, so one owner's backlog
/// fills one lane and delays the owners of the other lanes only by what a worker already took,
/// not by the whole backlog (docs/protocol.md, "Lanes").
public struct WorkerTopology: Sendable, Equatable {
    /// The prefix of every name.
    public var prefix: String

    /// Lanes per task queue (a name ``TaskQueueName/isValid(_:)`` refuses, stored before that rule,
    /// has lane 0 only). Lane 0 keeps the task queue's own name and routing key (what workers older
    /// than lanes consume); lane `n` adds `~n`, which task queue names cannot hold. The Helm chart's
    /// KEDA triggers (helm/lazyrabbit/templates/worker-keda.yaml) count the same four.
    public static let lanesPerQueue = 4

    /// The header naming a task message's task queue, so that the coordinator declares the queue
    /// without reading it out of the routing key.
    public static let taskQueueHeader = "lr-task-queue"

    /// The names under `prefix`.
    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The direct exchange tasks are published to, with ``taskRoutingKey(_:lane:)`` as routing key.
    public var taskExchange: String { "\(prefix).tasks" }
    /// The quorum queue holding the tasks of `queue` in `lane`.
    public func taskQueue(_ queue: String, lane: Int) -> String { "\(prefix).tasks.\(Self.taskRoutingKey(queue, lane: lane))" }
    /// The quorum queues of every lane of `queue`, lane 0 first.
    public func taskQueueLanes(_ queue: String) -> [String] { (0..<Self.laneCount(of: queue)).map { taskQueue(queue, lane: $0) } }

    /// The routing key of `queue`'s `lane`: the queue's name, then `~lane` past lane 0.
    public static func taskRoutingKey(_ queue: String, lane: Int) -> String { lane == 0 ? queue : "\(queue)~\(lane)" }

    /// How many lanes `queue` has: ``lanesPerQueue``, or 1 for a name from before ``TaskQueueName``'s rule.
    public static func laneCount(of queue: String) -> Int { TaskQueueName.isValid(queue) ? lanesPerQueue : 1 }

    /// The lane of `queue` for an execution owned by `owner`: FNV-1a of the owner's UTF-8 bytes
    /// (so every coordinator agrees) modulo the queue's ``laneCount(of:)``; lane 0 without an owner.
    public static func lane(of queue: String, owner: String?) -> Int {
        guard let owner, !owner.isEmpty else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in owner.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(hash % UInt64(laneCount(of: queue)))
    }

    /// The direct exchange reports are published to.
    public var reportExchange: String { "\(prefix).reports" }
    /// The quorum queue the coordinator consumes reports from.
    public var reportQueue: String { "\(prefix).reports" }
    /// The routing key of reports.
    public var reportRoutingKey: String { "report" }
    /// The direct exchange rejected and over-delivered tasks go to (routing key = task queue).
    public var deadLetterExchange: String { "\(prefix).dead" }
    /// The queue holding the dead letters of task queue `queue`.
    public func deadLetterQueue(_ queue: String) -> String { "\(prefix).dead.\(queue)" }

    /// The fanout exchange the coordinator publishes ``ControlMessage``s to, seen by every worker.
    public var controlExchange: String { "\(prefix).control" }
    /// The exclusive, auto-delete queue through which worker `workerID` sees the control messages.
    public func controlQueue(workerID: String) -> String { "\(prefix).control.\(workerID)" }

    /// Declares the task exchange, each task queue's lanes with its dead-letter queue, the report
    /// exchange and queue, and the control exchange (idempotent; `connection` redeclares them
    /// after a reconnect).
    public func declare(on connection: AMQPConnection, taskQueues: [String], deliveryLimit: Int) async throws {
        try await connection.declareExchange(taskExchange, kind: .direct)
        try await connection.declareExchange(deadLetterExchange, kind: .direct)
        for queue in taskQueues {
            try await connection.declareQueue(deadLetterQueue(queue))
            try await connection.bind(queue: deadLetterQueue(queue), exchange: deadLetterExchange, routingKey: queue)
            for lane in 0..<Self.laneCount(of: queue) {
                // Every lane dead-letters to the task queue's one dead-letter queue.
                try await connection.declareQueue(taskQueue(queue, lane: lane), arguments: [
                    "x-dead-letter-exchange": .string(deadLetterExchange),
                    "x-dead-letter-routing-key": .string(queue),
                    "x-delivery-limit": .int(Int64(deliveryLimit)),
                ])
                try await connection.bind(queue: taskQueue(queue, lane: lane), exchange: taskExchange, routingKey: Self.taskRoutingKey(queue, lane: lane))
            }
        }
        try await connection.declareExchange(reportExchange, kind: .direct)
        try await connection.declareQueue(reportQueue)
        try await connection.bind(queue: reportQueue, exchange: reportExchange, routingKey: reportRoutingKey)
        try await connection.declareExchange(controlExchange, kind: .fanout)
    }

    /// Deletes what ``declare(on:taskQueues:deliveryLimit:)`` declared (tests and the admin CLI).
    public func delete(on connection: AMQPConnection, taskQueues: [String]) async throws {
        for queue in taskQueues {
            for lane in taskQueueLanes(queue) { try await connection.deleteQueue(lane) }
            try await connection.deleteQueue(deadLetterQueue(queue))
        }
        try await connection.deleteQueue(reportQueue)
        try await connection.deleteExchange(taskExchange)
        try await connection.deleteExchange(deadLetterExchange)
        try await connection.deleteExchange(reportExchange)
        try await connection.deleteExchange(controlExchange)
    }
}
