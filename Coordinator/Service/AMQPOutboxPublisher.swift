public import PostgresDriver
public import RabbitMQDriver
public import WorkflowDrivers

/// The outbox relay's way out to RabbitMQ: publishes a batch of outbox rows as persistent
/// messages with publisher confirms (row `topic` → exchange, `routing_key` → routing key,
/// `message_id` → message id, headers as string headers) and answers which rows the broker
/// confirmed; the relay marks exactly those published and backs off the rest.
///
/// ```swift
/// let publisher = AMQPOutboxPublisher(try await AMQPPublisher.connect(.fromEnvironment()))
/// let relay = OutboxRelay(pool: pool, publisher: publisher.publish)
/// try await relay.run()
/// ```
public struct AMQPOutboxPublisher: Sendable {
    private let publisher: AMQPPublisher

    public init(_ publisher: AMQPPublisher) {
        self.publisher = publisher
    }

    /// Publishes `messages`; returns the message ids the broker confirmed.
    @Sendable public func publish(_ messages: [OutboxMessage]) async throws -> Set<String> {
        let outgoing = messages.map { message in
            OutgoingMessage(
                exchange: message.topic, routingKey: message.routingKey, body: Array(message.payload),
                messageID: message.messageID, headers: message.headers.mapValues(HeaderValue.string))
        }
        let results = try await publisher.publish(outgoing)
        return Set(results.filter(\.isConfirmed).map(\.messageID))
    }
}
