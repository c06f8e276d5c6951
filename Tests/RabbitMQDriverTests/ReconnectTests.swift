import Foundation
import RabbitMQDriver
import Testing

extension RabbitMQTests {
    /// Publishes 2,000 messages with confirms while the broker restarts, republishing whatever was
    /// not confirmed: afterwards every confirmed id is in the queue (duplicates allowed), the
    /// publisher reconnected by itself, and a delivery from before the restart cannot be acked.
    @Test(.timeLimit(.minutes(2)))
    func brokerRestartLosesNoConfirmedMessage() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration, window: 100)
        let queue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("restart"))

        // A consumer that holds one delivery across the restart.
        let heldQueue = try await publisher.connection.declareWorkQueue(Broker.uniqueName("held"))
        _ = try await publisher.publish(OutgoingMessage(toQueue: heldQueue.name, body: [1], messageID: "held"))
        let holder = try await AMQPConsumer.connect(Broker.configuration, queue: heldQueue.name, prefetch: 1)
        var holderIterator = holder.deliveries.makeAsyncIterator()
        let held = try #require(try await holderIterator.next())

        let stopped = RestartProgress()
        let restart = Task {
            try await Task.sleep(for: .milliseconds(300))
            try await Broker.restart(afterStop: { await stopped.markStopped() })
        }
        var pending = Broker.messages(2_000, to: queue.name)
        var confirmed = Set<String>()
        while !pending.isEmpty {
            // Keep the last quarter for after the broker went down, so the restart is mid-stream.
            while confirmed.count >= 1_500, await !stopped.isStopped { try await Task.sleep(for: .milliseconds(20)) }
            let batch = Array(pending.prefix(25))
            let results = try await publisher.publish(batch)
            var retry: [OutgoingMessage] = []
            for (message, result) in zip(batch, results) {
                if result.isConfirmed { confirmed.insert(message.messageID) } else { retry.append(message) }
            }
            pending = retry + pending.dropFirst(batch.count)
            try await Task.sleep(for: .milliseconds(10))
        }
        try await restart.value
        #expect(confirmed.count == 2_000)
        #expect(await publisher.connection.reconnects >= 1)

        let consumer = try await AMQPConsumer.connect(Broker.configuration, queue: queue.name, prefetch: 500)
        let received = try await Broker.drain(consumer, timeout: .seconds(30)) { Set($0.compactMap(\.messageID)).count >= confirmed.count }
        #expect(confirmed.isSubset(of: Set(received.compactMap(\.messageID))))
        await consumer.close()

        // The held delivery comes back on the new connection; the old one cannot be acked any more.
        let again = try #require(try await holderIterator.next())
        #expect(again.messageID == "held" && again.redelivered)
        await #expect {
            try await holder.ack(held)
        } throws: { error in
            (error as? AMQPError)?.code == .staleDelivery
        }
        try await holder.ack(again)
        await holder.close()

        try await publisher.connection.deleteWorkQueue(queue)
        try await publisher.connection.deleteWorkQueue(heldQueue)
        await publisher.close()
    }
}

/// Tells the publishing loop when the broker application has stopped.
private actor RestartProgress {
    private(set) var isStopped = false
    func markStopped() { isStopped = true }
}
