public import LazyRabbitWorker
public import RabbitMQDriver
public import WorkflowDrivers

/// Declares task queues (every lane, with their dead-letter queue) the first time the coordinator
/// publishes to them, with the same arguments workers use, so that no task reaches an exchange with
/// no queue.
public actor TaskQueueDeclarer {
    /// The names queues are declared under.
    public nonisolated let topology: WorkerTopology
    private let connection: AMQPConnection
    private let deliveryLimit: Int
    private var declared: Set<String> = []

    /// - Parameter deliveryLimit: must match the workers' (`x-delivery-limit` arguments must agree).
    public init(topology: WorkerTopology, connection: AMQPConnection, deliveryLimit: Int) {
        self.topology = topology
        self.connection = connection
        self.deliveryLimit = deliveryLimit
    }

    /// Declares whichever task queues of the task messages among `messages` were not declared by
    /// this process yet: the queue a task names in its ``WorkerTopology/taskQueueHeader``, or — in
    /// a row written before lanes — its routing key.
    public func ensureQueues(for messages: [OutboxMessage]) async throws {
        try await ensure(messages.filter { $0.topic == topology.taskExchange }.map { $0.headers[WorkerTopology.taskQueueHeader] ?? $0.routingKey })
    }

    /// Declares whichever of `queues` were not declared by this process yet.
    public func ensure(_ queues: [String]) async throws {
        let missing = Set(queues).subtracting(declared)
        guard !missing.isEmpty else { return }
        try await topology.declare(on: connection, taskQueues: missing.sorted(), deliveryLimit: deliveryLimit)
        declared.formUnion(missing)
    }
}
