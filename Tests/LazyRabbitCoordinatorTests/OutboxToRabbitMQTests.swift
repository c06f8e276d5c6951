import Foundation
import LazyRabbitCoordinator
import CoordinatorService
import PostgresDriver
import RabbitMQDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// A committed step's outbox rows reach RabbitMQ through the relay, with confirms, exactly once in effect.
@Suite(.serialized) struct OutboxToRabbitMQTests {
    @Test func messagesCommittedWithATransitionArePublishedAndMarked() async throws {
        let configuration = try PostgresConfiguration.fromEnvironment()
        let amqp = AMQPConfiguration.fromEnvironment()
        let queue = "lr.test.outbox.\(UUID().uuidString.prefix(8))"
        let admin = try await AMQPConnection.connect(amqp)
        try await admin.declareQueue(queue)
        do {
            try await relayAndConsume(queue: queue, configuration: configuration, amqp: amqp)
        } catch {
            try? await admin.deleteQueue(queue)
            await admin.close()
            throw error
        }
        try await admin.deleteQueue(queue)
        await admin.close()
    }

    private func relayAndConsume(queue: String, configuration: PostgresConfiguration, amqp: AMQPConfiguration) async throws {
        try await PostgresScratchDatabase.with(configuration: configuration) { pool in
            let store = PostgresExecutionStore(pool: pool)
            let now = Date()
            try await store.create(
                ExecutionRecord(id: "e-1", workflowName: "w", definitionSource: "", status: .running, sequence: 0,
                                snapshot: ExecutionSnapshot(Data()), input: .emptyObject, createdAt: now, updatedAt: now),
                transitions: [])
            // One step that dispatches 50 tasks: transitions and outbox rows in one transaction.
            let messages = (0..<50).map { index in
                OutboxMessage(messageID: "e-1/task-\(index)", topic: "", routingKey: queue, payload: Data("task \(index)".utf8), headers: ["lr-type": "state_task"])
            }
            let update = ExecutionUpdate(
                executionID: "e-1", expectedSequence: 0, status: .running, snapshot: ExecutionSnapshot(Data()),
                transitions: [TransitionRecord(executionID: "e-1", sequence: 1, thread: "main", fromState: nil, toState: "fan", kind: "state_entered", at: now)],
                updatedAt: now)
            #expect(try await store.commit(update, outbox: messages) == .applied)
            #expect(try await store.commit(update, outbox: messages) == .duplicate, "a repeated commit stages nothing twice")

            let publisher = AMQPOutboxPublisher(try await AMQPPublisher.connect(amqp))
            let relay = OutboxRelay(pool: pool, publisher: publisher.publish)
            while try await relay.relayOnce().claimed > 0 {}
            let unpublished = try await pool.withConnection { connection in
                try await connection.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").first?.decode(at: 0, as: Int.self)
            }
            #expect(unpublished == 0)

            let consumer = try await AMQPConsumer.connect(amqp, queue: queue, prefetch: 100)
            var received: [String] = []
            for try await delivery in consumer.deliveries {
                received.append(delivery.messageID ?? "")
                #expect(delivery.headers["lr-type"] == "state_task")
                try await consumer.ack(delivery)
                if received.count == messages.count { break }
            }
            await consumer.close()
            #expect(Set(received) == Set(messages.map(\.messageID)))
            #expect(received.count == messages.count, "each row published once")
        }
    }
}
