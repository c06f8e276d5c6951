public import RabbitMQDriver

/// The RabbitMQ names of docs/protocol.md ("Transport on RabbitMQ"), under one prefix
/// (`lazyrabbit` in production; tests use a unique one).
///
/// | what | name |
/// | --- | --- |
/// | task exchange (direct, key = task queue) | `<prefix>.tasks` |
/// | task queue (quorum, delivery limit, dead-letters) | `<prefix>.tasks.<queue>` |
/// | report exchange (direct) and queue (quorum), key `report` | `<prefix>.reports` |
/// | dead-letter exchange (direct, key = task queue) | `<prefix>.dead` |
/// | dead-letter queue | `<prefix>.dead.<queue>` |
/// | control exchange (fanout) | `<prefix>.control` |
/// | a worker's control queue (exclusive, auto-delete) | `<prefix>.control.<worker id>` |
public struct WorkerTopology: Sendable, Equatable {
    /// The prefix of every name.
    public var prefix: String

    /// The names under `prefix`.
    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The direct exchange tasks are published to, with the task queue as routing key.
    public var taskExchange: String { "\(prefix).tasks" }
    /// The quorum queue holding the tasks of `queue`.
    public func taskQueue(_ queue: String) -> String { "\(prefix).tasks.\(queue)" }
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

    /// Declares the task exchange, each task queue with its dead-letter queue, the report
    /// exchange and queue, and the control exchange (idempotent; `connection` redeclares them
    /// after a reconnect).
    public func declare(on connection: AMQPConnection, taskQueues: [String], deliveryLimit: Int) async throws {
        try await connection.declareExchange(taskExchange, kind: .direct)
        try await connection.declareExchange(deadLetterExchange, kind: .direct)
        for queue in taskQueues {
            try await connection.declareQueue(deadLetterQueue(queue))
            try await connection.bind(queue: deadLetterQueue(queue), exchange: deadLetterExchange, routingKey: queue)
            try await connection.declareQueue(taskQueue(queue), arguments: [
                "x-dead-letter-exchange": .string(deadLetterExchange),
                "x-dead-letter-routing-key": .string(queue),
                "x-delivery-limit": .int(Int64(deliveryLimit)),
            ])
            try await connection.bind(queue: taskQueue(queue), exchange: taskExchange, routingKey: queue)
        }
        try await connection.declareExchange(reportExchange, kind: .direct)
        try await connection.declareQueue(reportQueue)
        try await connection.bind(queue: reportQueue, exchange: reportExchange, routingKey: reportRoutingKey)
        try await connection.declareExchange(controlExchange, kind: .fanout)
    }

    /// Deletes what ``declare(on:taskQueues:deliveryLimit:)`` declared (tests and the admin CLI).
    public func delete(on connection: AMQPConnection, taskQueues: [String]) async throws {
        for queue in taskQueues {
            try await connection.deleteQueue(taskQueue(queue))
            try await connection.deleteQueue(deadLetterQueue(queue))
        }
        try await connection.deleteQueue(reportQueue)
        try await connection.deleteExchange(taskExchange)
        try await connection.deleteExchange(deadLetterExchange)
        try await connection.deleteExchange(reportExchange)
        try await connection.deleteExchange(controlExchange)
    }
}
