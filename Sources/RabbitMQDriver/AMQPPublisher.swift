import DriverSupport

/// Publishes persistent messages with publisher confirms on its own connection.
///
/// Up to ``window`` messages are in flight unconfirmed (default 500), so throughput doesn't pay
/// a round trip per message; ``publish(_:)-([OutgoingMessage])`` returns when every message of
/// the batch is answered. Batches published concurrently while another waits for its confirms
/// go out together when it is answered (group publishing), so concurrent callers share round trips. Messages the broker nacked, or that were in flight when the connection
/// dropped, come back as not confirmed: republish them (at-least-once; consumers deduplicate by
/// message id).
///
/// ```swift
/// let publisher = try await AMQPPublisher.connect(.fromEnvironment())
/// let results = try await publisher.publish(messages)
/// let retry = zip(messages, results).filter { !$1.isConfirmed }.map(\.0)
/// ```
public struct AMQPPublisher: Sendable {
    /// The publisher's connection (also usable to declare topology, which it then redeclares after reconnects).
    public let connection: AMQPConnection
    /// Most unconfirmed messages in flight.
    public let window: Int
    /// Group publishing: batches handed over while an earlier one waits for its confirms go out
    /// together once it is answered. A connection answers one batch at a time, so without this
    /// every concurrent caller would pay a full confirm round trip in turn; with it they share one.
    private let group: SubmissionGroup<[OutgoingMessage], [PublishResult]>

    /// Connects a publisher connection (confirm mode on).
    ///
    /// - Throws: ``AMQPError`` if the first connection attempt fails.
    public static func connect(_ configuration: AMQPConfiguration, window: Int = 500) async throws -> AMQPPublisher {
        precondition(window > 0, "the confirm window must be positive")
        let connection = try AMQPConnection(configuration: configuration, confirms: true)
        try await connection.start()
        return AMQPPublisher(connection: connection, window: window)
    }

    private init(connection: AMQPConnection, window: Int) {
        self.connection = connection
        self.window = window
        group = SubmissionGroup(maxWeight: max(window, 1_000)) { [connection] batches in
            do {
                var results = try await connection.publishBatch(batches.flatMap(\.self), window: window, delay: nil)[...]
                return batches.map { batch in
                    defer { results = results.dropFirst(batch.count) }
                    return .success(Array(results.prefix(batch.count)))
                }
            } catch {
                return batches.map { _ in .failure(error) }
            }
        }
    }

    /// Publishes a batch and waits until each message is confirmed or nacked; one result per
    /// message, in order. Reconnects first if the connection is down.
    ///
    /// - Throws: ``AMQPError`` when no connection could be established (nothing was sent), or
    ///   with code ``AMQPError/Code/channelClosed`` when the broker refused the publishing itself
    ///   (unknown exchange, reply code 404): treat the whole batch as unconfirmed.
    public func publish(_ batch: [OutgoingMessage]) async throws -> [PublishResult] {
        guard !batch.isEmpty else { return [] }
        return try await group.submit(batch, weight: batch.count)
    }

    /// Publishes one message and waits for its confirm.
    public func publish(_ message: OutgoingMessage) async throws -> PublishResult {
        try await publish([message])[0]
    }

    /// Publishes a batch that reaches its destination (`exchange`, `routingKey`) only after `delay`,
    /// without any consumer waiting: it goes to a delay queue whose messages expire and are
    /// dead-lettered to the destination.
    ///
    /// Per-message TTLs only expire at the head of a queue, so a short TTL behind a long one would
    /// wait for it. Delays are therefore rounded **up** to a power of two milliseconds (at least
    /// 1 ms) and each destination has one delay queue per bucket, `<routingKey>.delay.<ms>ms`
    /// (prefixed by `<exchange>.` for exchanges): every message in a delay queue has the same TTL,
    /// so the head always expires first. A message arrives after at least `delay`, at most about
    /// twice `delay` later (plus broker latency).
    public func publish(_ batch: [OutgoingMessage], delay: Duration) async throws -> [PublishResult] {
        guard delay > .zero else { return try await publish(batch) }
        let bucket = Self.bucket(for: delay)
        var results: [PublishResult?] = Array(repeating: nil, count: batch.count)
        let groups = Dictionary(grouping: batch.indices) { DestinationKey(exchange: batch[$0].exchange, routingKey: batch[$0].routingKey) }
        for (destination, indices) in groups {
            let route = try await declareDelayQueue(for: destination, bucket: bucket)
            let published = try await connection.publishBatch(indices.map { batch[$0] }, window: window, delay: route)
            for (index, result) in zip(indices, published) { results[index] = result }
        }
        return results.map { $0! }
    }

    /// Publishes one message after `delay`; see ``publish(_:delay:)-([OutgoingMessage],_)``.
    public func publish(_ message: OutgoingMessage, delay: Duration) async throws -> PublishResult {
        try await publish([message], delay: delay)[0]
    }

    /// Closes the connection.
    public func close() async {
        await connection.close()
    }

    /// The delay bucket: `delay` rounded up to a power of two milliseconds.
    static func bucket(for delay: Duration) -> Int64 {
        let milliseconds = max(1, delay.wholeMilliseconds + (delay.components.attoseconds % 1_000_000_000_000_000 == 0 ? 0 : 1))
        var bucket: Int64 = 1
        while bucket < milliseconds { bucket <<= 1 }
        return bucket
    }

    private func declareDelayQueue(for destination: DestinationKey, bucket: Int64) async throws -> DelayRoute {
        let prefix = destination.exchange.isEmpty ? "" : "\(destination.exchange)."
        let name = "\(prefix)\(destination.routingKey).delay.\(bucket)ms"
        try await connection.declareQueue(name, kind: .classic, arguments: [
            "x-dead-letter-exchange": .string(destination.exchange),
            "x-dead-letter-routing-key": .string(destination.routingKey),
            "x-message-ttl": .int(bucket),
        ])
        return DelayRoute(queue: name, expirationMilliseconds: bucket)
    }
}

/// A publish destination, for grouping delayed messages.
private struct DestinationKey: Hashable {
    var exchange: String
    var routingKey: String
}
