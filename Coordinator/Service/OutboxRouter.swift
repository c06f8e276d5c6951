import LazyRabbitWorker
public import RabbitMQDriver
public import WorkflowDrivers

/// The outbox relay's publisher in distributed mode: rows for the coordinator itself
/// (``CoordinatorMessage/localTopic``) go to a ``LocalMessageHandler``, up to
/// ``localConcurrency`` at once; the rest (tasks, control messages) go to RabbitMQ with confirms.
/// Before the first task of a task queue is published, the queue is declared (a message to an exchange with no bound queue
/// would be confirmed and silently dropped).
public struct OutboxRouter: Sendable {
    private let local: LocalMessageHandler
    private let broker: AMQPOutboxPublisher
    private let queues: TaskQueueDeclarer
    /// Local messages handled at once.
    public var localConcurrency = 16

    public init(local: LocalMessageHandler, broker: AMQPOutboxPublisher, queues: TaskQueueDeclarer) {
        self.local = local
        self.broker = broker
        self.queues = queues
    }

    /// Publishes `messages`; answers the ids that were confirmed (broker) or carried out (local).
    @Sendable public func publish(_ messages: [OutboxMessage]) async throws -> Set<String> {
        let locals = messages.filter { $0.topic == CoordinatorMessage.localTopic }
        let remote = messages.filter { $0.topic != CoordinatorMessage.localTopic }
        var done: Set<String> = []
        if !remote.isEmpty {
            try await queues.ensureQueues(for: remote)
            done = try await broker.publish(remote)
        }
        return done.union(await handle(locals))
    }

    private func handle(_ messages: [OutboxMessage]) async -> Set<String> {
        await withTaskGroup(of: String?.self) { group in
            var handled: Set<String> = []
            var next = messages.makeIterator()
            func add(_ message: OutboxMessage) {
                group.addTask { [local] in
                    (try? await local.handle(payload: message.payload)) != nil ? message.messageID : nil
                }
            }
            for _ in 0..<localConcurrency { if let message = next.next() { add(message) } }
            for await id in group {
                if let id { handled.insert(id) }
                if let message = next.next() { add(message) }
            }
            return handled
        }
    }
}
