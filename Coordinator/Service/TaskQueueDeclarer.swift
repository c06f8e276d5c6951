public import LazyRabbitWorker
public import RabbitMQDriver

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

    /// Declares whichever of the task queues `routingKeys` reach (``WorkerTopology/taskRoutingKey(_:lane:)``)
    /// were not declared by this process yet.
    public func ensure(routedBy routingKeys: [String]) async throws {
        let missing = Set(routingKeys.map(WorkerTopology.taskQueueName(routedBy:))).subtracting(declared)
        guard !missing.isEmpty else { return }
        try await topology.declare(on: connection, taskQueues: missing.sorted(), deliveryLimit: deliveryLimit)
        declared.formUnion(missing)
    }
}
