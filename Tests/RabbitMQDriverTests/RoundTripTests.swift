import Foundation
import RabbitMQDriver
import Testing

extension RabbitMQTests {
    @Test func publishConfirmConsumeAckRoundTrip() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("roundtrip"))
        let messages = Broker.messages(1_000, to: queue.name)

        let results = try await publisher.publish(messages)
        #expect(results.count == 1_000)
        #expect(results.allSatisfy { $0.isConfirmed })
        #expect(results.map(\.messageID) == messages.map(\.messageID))

        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue.name, prefetch: 200)
        var received: [Delivery] = []
        var pending: [Delivery] = []
        for try await delivery in consumer.deliveries {
            received.append(delivery)
            pending.append(delivery)
            if pending.count == 50 || received.count == 1_000 {
                try await consumer.ack(pending)
                pending.removeAll()
            }
            if received.count == 1_000 { break }
        }
        #expect(Set(received.compactMap(\.messageID)) == Set(messages.map(\.messageID)))
        #expect(received.allSatisfy { $0.body.count == 64 && $0.headers["lr.kind"] == "test" && !$0.redelivered })
        #expect(received.first?.headers["lr.index"] == .int(0))
        await consumer.close()

        let stats = try await publisher.connection.stats(ofQueue: queue.name)
        #expect(stats == QueueStats(messages: 0, consumers: 0))
        try await publisher.connection.deleteWorkQueue(queue)
        await publisher.close()
    }

    @Test func batchLargerThanTheConfirmWindow() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration, window: 32)
        let queue = Broker.uniqueName("window")
        try await publisher.connection.declareQueue(queue)

        let results = try await publisher.publish(Broker.messages(1_000, to: queue))
        #expect(results.filter(\.isConfirmed).count == 1_000)
        #expect(try await publisher.connection.stats(ofQueue: queue).messages == 1_000)

        let single = try await publisher.publish(OutgoingMessage(toQueue: queue, body: [1], messageID: "one"))
        #expect(single == PublishResult(messageID: "one", outcome: .confirmed))
        try await publisher.connection.deleteQueue(queue)
        await publisher.close()
    }

    @Test func nackWithRequeueRedelivers() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("requeue"))
        _ = try await publisher.publish(Broker.messages(1, to: queue.name))

        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue.name, prefetch: 10)
        var iterator = consumer.deliveries.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(!first.redelivered && first.deliveryCount == 0)
        try await consumer.nack(first, requeue: true)

        let second = try #require(try await iterator.next())
        #expect(second.messageID == first.messageID)
        #expect(second.redelivered)
        #expect(second.deliveryCount == 1)
        try await consumer.ack(second)
        await consumer.close()
        try await publisher.connection.deleteWorkQueue(queue)
        await publisher.close()
    }

    @Test func queueStatsReportDepthAndConsumers() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = Broker.uniqueName("stats")
        try await publisher.connection.declareQueue(queue)
        _ = try await publisher.publish(Broker.messages(3, to: queue))
        #expect(try await publisher.connection.stats(ofQueue: queue) == QueueStats(messages: 3, consumers: 0))

        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue, prefetch: 1)
        #expect(try await publisher.connection.stats(ofQueue: queue).consumers == 1)
        await consumer.close()

        await #expect {
            try await publisher.connection.stats(ofQueue: Broker.uniqueName("missing"))
        } throws: { error in
            (error as? AMQPError)?.replyCode == 404
        }
        // The channel the broker closed for the 404 is reopened on the next call; the message the
        // closed consumer held returns to the queue shortly after.
        #expect(try await Broker.eventually { try await publisher.connection.stats(ofQueue: queue).messages == 3 })
        try await publisher.connection.deleteQueue(queue)
        await publisher.close()
    }
}
