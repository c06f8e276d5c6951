import LazyRabbitWorker
public import PostgresDriver
public import WorkflowDrivers

/// Publishes a step's task messages (and `cancel_task` control messages) right after the step is committed, instead of waiting for
/// the outbox relay's next pass: one confirm round trip instead of a poll, a relay transaction and
/// a confirm. The same messages are in the outbox, due only after ``grace``; the confirmed ones are
/// marked published (in batches), so the relay publishes only what this path did not — after a
/// crash, a lost confirm or a broker outage.
public struct EagerPublisher: Sendable {
    /// How long the outbox holds a task back for this path before the relay takes it. Default 5 s.
    public static let defaultGrace: Duration = .seconds(5)

    private let broker: AMQPOutboxPublisher
    private let queues: TaskQueueDeclarer
    private let marker: OutboxMarker

    public init(broker: AMQPOutboxPublisher, queues: TaskQueueDeclarer, marker: OutboxMarker) {
        self.broker = broker
        self.queues = queues
        self.marker = marker
    }

    /// Publishes `messages` (already committed to the outbox) and queues the confirmed ones for marking.
    /// Failures are left to the relay.
    public func publish(_ messages: [OutboxMessage]) async {
        guard !messages.isEmpty else { return }
        do {
            try await queues.ensureQueues(for: messages)
            marker.mark(try await broker.publish(messages))
        } catch {
            // The rows stay unpublished; the relay publishes them once their grace is over.
        }
    }
}
