import Foundation
import RabbitMQDriver
import Testing

extension RabbitMQTests {
    @Test(arguments: [QueueKind.quorum, .classic])
    func poisonMessageEndsInTheDeadLetterQueueAfterTheCap(kind: QueueKind) async throws {
        let limit = 2
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("poison"), kind: kind, deliveryLimit: limit)
        _ = try await publisher.publish(OutgoingMessage(toQueue: queue.name, body: Array("poison".utf8), messageID: "poison"))

        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue.name, prefetch: 10, localDeliveryLimit: limit)
        var deliveries: [Delivery] = []
        let deadline = ContinuousClock.now + .seconds(10)
        var iterator = consumer.deliveries.makeAsyncIterator()
        while try await publisher.connection.stats(ofQueue: queue.deadLetterQueue).messages == 0, ContinuousClock.now < deadline {
            guard let delivery = try await iterator.next() else { break }
            deliveries.append(delivery)
            try await consumer.nack(delivery, requeue: true)  // the callback always fails
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(deliveries.count == limit + 1)
        #expect(deliveries.map(\.deliveryCount) == Array(0...limit))
        #expect(try await publisher.connection.stats(ofQueue: queue.deadLetterQueue).messages == 1)
        #expect(try await publisher.connection.stats(ofQueue: queue.name).messages == 0)
        await consumer.close()

        let dead = try await AMQPConsumer.connect(Broker.configuration, queue: queue.deadLetterQueue, prefetch: 1)
        let buried = try await Broker.drain(dead) { $0.count == 1 }
        #expect(buried.first?.messageID == "poison")
        #expect(buried.first?.body == Array("poison".utf8))
        await dead.close()
        try await publisher.connection.deleteWorkQueue(queue)
        await publisher.close()
    }

    @Test func delayedMessageArrivesAfterItsDelay() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("delay"))
        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue.name, prefetch: 10)

        let delay = Duration.milliseconds(400)
        let start = ContinuousClock.now
        let result = try await publisher.publish(OutgoingMessage(toQueue: queue.name, body: [7], messageID: "later"), delay: delay)
        #expect(result.isConfirmed)
        #expect(try await publisher.connection.stats(ofQueue: queue.name).messages == 0)

        let received = try await Broker.drain(consumer, timeout: .seconds(10)) { $0.count == 1 }
        let elapsed = ContinuousClock.now - start
        #expect(received.first?.messageID == "later")
        #expect(elapsed >= delay)
        await consumer.close()
        try await publisher.connection.deleteWorkQueue(queue)
        await publisher.close()
    }
}
