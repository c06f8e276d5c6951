/// Throughput of persistent publishing with confirms and of consuming with manual acks, through
/// this library and, in the same run, through a plain loop over the C API (the ceiling).
///
/// ```swift
/// let result = try await AMQPBenchmark.run(url: ServerSettings.amqpURL, messages: 20_000)
/// print(result)
/// ```
public enum AMQPBenchmark {
    /// Runs both measurements on fresh quorum queues (deleted afterwards): publish `messages`
    /// persistent messages of `messageSize` bytes with a confirm window of `window`, then consume
    /// them with prefetch `prefetch`, acking every 100 (one `multiple` ack).
    ///
    /// - Throws: ``AMQPError``.
    public static func run(url: String, messages: Int = 20_000, messageSize: Int = 256,
                           window: Int = 500, prefetch: UInt16 = 500) async throws -> AMQPBenchmarkResult {
        let configuration = AMQPConfiguration(url: url)
        let setup = try await AMQPConnection.connect(configuration)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let libraryQueue = "lr.bench.library.\(suffix)", ceilingQueue = "lr.bench.ceiling.\(suffix)"
        try await setup.declareQueue(libraryQueue)
        try await setup.declareQueue(ceilingQueue)
        do {
            let body = [UInt8](repeating: 0x61, count: messageSize)
            let library = try await measureLibrary(configuration, queue: libraryQueue, body: body, messages: messages, window: window, prefetch: prefetch)
            let ceiling = try await CeilingLoop(configuration: configuration)
                .run(queue: ceilingQueue, body: body, messages: messages, window: window, prefetch: prefetch)
            try await cleanUp(setup, queues: [libraryQueue, ceilingQueue])
            return AMQPBenchmarkResult(messages: messages, messageSize: messageSize, window: window, prefetch: Int(prefetch),
                                       library: library, ceiling: ceiling)
        } catch {
            try? await cleanUp(setup, queues: [libraryQueue, ceilingQueue])
            throw error
        }
    }

    private static func cleanUp(_ connection: AMQPConnection, queues: [String]) async throws {
        for queue in queues { try await connection.deleteQueue(queue) }
        await connection.close()
    }

    private static func measureLibrary(_ configuration: AMQPConfiguration, queue: String, body: [UInt8], messages: Int,
                                       window: Int, prefetch: UInt16) async throws -> AMQPBenchmarkResult.Phases {
        let publisher = try await AMQPPublisher.connect(configuration, window: window)
        let batch = (0..<messages).map { OutgoingMessage(toQueue: queue, body: body, messageID: "b-\($0)") }
        let clock = ContinuousClock()
        let publishStart = clock.now
        var confirmed = 0
        for start in stride(from: 0, to: messages, by: 5_000) {
            let results = try await publisher.publish(Array(batch[start..<min(start + 5_000, messages)]))
            confirmed += results.filter(\.isConfirmed).count
        }
        let publishTime = publishStart.duration(to: clock.now)
        await publisher.close()
        guard confirmed == messages else { throw AMQPError(.library, "benchmark: only \(confirmed) of \(messages) confirmed") }

        let consumer = try await AMQPConsumer.connect(configuration, queue: queue, prefetch: prefetch)
        let consumeStart = clock.now
        var received = 0
        var pending: [Delivery] = []
        for try await delivery in consumer.deliveries {
            received += 1
            pending.append(delivery)
            if pending.count == 100 || received == messages {
                try await consumer.ack(pending)
                pending.removeAll(keepingCapacity: true)
            }
            if received == messages { break }
        }
        let consumeTime = consumeStart.duration(to: clock.now)
        await consumer.close()
        return AMQPBenchmarkResult.Phases(messages: messages, publish: publishTime, consume: consumeTime)
    }
}

/// Figures from one ``AMQPBenchmark/run(url:messages:messageSize:window:prefetch:)``.
public struct AMQPBenchmarkResult: Sendable, CustomStringConvertible {
    /// Timings of one side (library or ceiling).
    public struct Phases: Sendable {
        /// Messages moved.
        public var messages: Int
        /// Time to publish them all, confirms included.
        public var publish: Duration
        /// Time to consume and ack them all.
        public var consume: Duration

        /// Published (and confirmed) messages per second.
        public var publishPerSecond: Double { Self.rate(messages, publish) }
        /// Consumed (and acked) messages per second.
        public var consumePerSecond: Double { Self.rate(messages, consume) }
        /// Messages per second through both phases (publish time + consume time).
        public var roundTripPerSecond: Double { Self.rate(messages, publish + consume) }

        private static func rate(_ count: Int, _ duration: Duration) -> Double {
            let seconds = duration / .seconds(1)
            return seconds > 0 ? Double(count) / seconds : 0
        }
    }

    public var messages: Int
    public var messageSize: Int
    public var window: Int
    public var prefetch: Int
    /// Through ``AMQPPublisher`` and ``AMQPConsumer``.
    public var library: Phases
    /// A plain publish/consume loop over librabbitmq in the same run.
    public var ceiling: Phases

    /// Library round-trip rate as a fraction of the ceiling's.
    public var ratio: Double { ceiling.roundTripPerSecond > 0 ? library.roundTripPerSecond / ceiling.roundTripPerSecond : 0 }

    public var description: String {
        func line(_ name: String, _ phases: Phases) -> String {
            "\(name): publish+confirm \(Int(phases.publishPerSecond)) msg/s, consume+ack \(Int(phases.consumePerSecond)) msg/s, "
                + "round trip \(Int(phases.roundTripPerSecond)) msg/s"
        }
        return """
        RabbitMQ (\(messages) persistent messages of \(messageSize) B, quorum queue, confirm window \(window), prefetch \(prefetch))
        \(line("  library", library))
        \(line("  ceiling (C loop)", ceiling))
          library / ceiling: \(Int((ratio * 100).rounded()))%
        """
    }
}
