import Foundation
@testable import RabbitMQDriver
import Testing

extension RabbitMQTests {
    @Test func confirmTrackerHandlesMultipleAndNack() {
        let messages = Broker.messages(6, to: "q")
        var tracker = ConfirmTracker(firstTag: 11, count: 6)
        for _ in 0..<6 { tracker.recordSent() }
        tracker.settle(tag: 12, multiple: true, outcome: .confirmed)   // 11, 12
        tracker.settle(tag: 14, multiple: false, outcome: .nacked)     // 14
        tracker.settle(tag: 15, multiple: true, outcome: .confirmed)   // 13, 15 (14 stays nacked)
        tracker.settle(tag: 10, multiple: true, outcome: .confirmed)   // an earlier batch's: ignored
        tracker.settle(tag: 99, multiple: false, outcome: .confirmed)  // never sent: ignored
        #expect(tracker.inFlight == 1)
        #expect(tracker.results(for: messages).map(\.outcome) == [.confirmed, .confirmed, .confirmed, .nacked, .confirmed, .unconfirmed])
    }

    @Test func brokerNacksAreReported() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = Broker.uniqueName("overflow")
        // A full queue that rejects new publishes makes the broker send basic.nack.
        try await publisher.connection.declareQueue(queue, kind: .classic, arguments: ["x-max-length": 10, "x-overflow": "reject-publish"])
        let results = try await publisher.publish(Broker.messages(30, to: queue))
        #expect(results.filter { $0.outcome == .confirmed }.count == 10)
        #expect(results.filter { $0.outcome == .nacked }.count == 20)
        try await publisher.connection.deleteQueue(queue)
        await publisher.close()
    }

    @Test func publishingToAMissingExchangeThrowsAndTheChannelRecovers() async throws {
        let publisher = try await AMQPPublisher.connect(Broker.configuration)
        let queue = Broker.uniqueName("recover")
        try await publisher.connection.declareQueue(queue)
        await #expect {
            try await publisher.publish(OutgoingMessage(exchange: Broker.uniqueName("nowhere"), routingKey: "x", body: [1], messageID: "lost"))
        } throws: { error in
            (error as? AMQPError)?.code == .channelClosed && (error as? AMQPError)?.replyCode == 404
        }
        #expect(try await publisher.publish(Broker.messages(5, to: queue)).allSatisfy { $0.isConfirmed })
        try await publisher.connection.deleteQueue(queue)
        await publisher.close()
    }
}
