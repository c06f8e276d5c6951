import Foundation
import RabbitMQDriver
import Testing

/// The real broker the tests talk to (`LAZYRABBIT_AMQP_URL`, default the `scripts/services` one),
/// with helpers for unique names, messages and broker restarts.
enum Broker {
    /// Short timeouts so that a broken test fails fast.
    static var configuration: AMQPConfiguration {
        var configuration = AMQPConfiguration.fromEnvironment()
        configuration.reconnectTimeout = .seconds(45)
        configuration.reconnectMaximumDelay = .milliseconds(500)
        return configuration
    }

    /// A queue or exchange name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "lr.test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// `count` messages for `queue` with ids `<prefix>-0`…, a 64-byte body and a header.
    static func messages(_ count: Int, to queue: String, prefix: String = "m") -> [OutgoingMessage] {
        (0..<count).map { index in
            OutgoingMessage(toQueue: queue, body: Array(repeating: UInt8(index % 251), count: 64),
                            messageID: "\(prefix)-\(index)", headers: ["lr.index": .int(Int64(index)), "lr.kind": "test"])
        }
    }

    /// Runs `rabbitmqctl` with `arguments` and waits for it to exit by itself (under `swift test`
    /// children ignore SIGTERM, so never rely on terminating them). The wait suspends rather than
    /// blocking a thread of the cooperative pool, which other suites need meanwhile.
    static func rabbitmqctl(_ arguments: String...) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/rabbitmqctl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        var status: Int32 = -1
        for await code in exits { status = code }
        #expect(status == 0, "rabbitmqctl \(arguments.joined(separator: " "))")
    }

    /// Stops and restarts the RabbitMQ application (the node stays up; clients are disconnected).
    static func restart(afterStop: @Sendable () async -> Void) async throws {
        try await rabbitmqctl("stop_app")
        await afterStop()
        try await rabbitmqctl("start_app")
        try await rabbitmqctl("await_startup")
    }

    /// Polls `condition` every 20 ms for up to `timeout`; whether it became true.
    static func eventually(timeout: Duration = .seconds(3), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// Consumes from `consumer` until `done` says so or `timeout` passes, acking everything.
    static func drain(_ consumer: AMQPConsumer, timeout: Duration = .seconds(20),
                      until done: ([Delivery]) -> Bool) async throws -> [Delivery] {
        var received: [Delivery] = []
        let deadline = ContinuousClock.now + timeout
        var iterator = consumer.deliveries.makeAsyncIterator()
        while !done(received), ContinuousClock.now < deadline {
            guard let delivery = try await iterator.next() else { break }
            received.append(delivery)
            try await consumer.ack(delivery)
        }
        return received
    }
}

/// All RabbitMQ tests share one serialized suite: one of them restarts the broker.
@Suite(.serialized) struct RabbitMQTests {}
