/// Consumes one queue on its own connection with a bounded prefetch and manual acknowledgements.
///
/// Iterate ``deliveries`` (one iterator at a time) and settle each delivery with ``ack(_:)``,
/// ``nack(_:requeue:)`` or ``reject(_:)`` — or many at once with ``ack(_:)-([Delivery])``.
/// Iterating also services heartbeats. After a reconnect the broker redelivers what was not
/// acked; settling a delivery from the old connection throws ``AMQPError/Code/staleDelivery``.
///
/// ```swift
/// let consumer = try await AMQPConsumer.connect(.fromEnvironment(), queue: "orders", prefetch: 100)
/// for try await delivery in consumer.deliveries {
///     try await handle(delivery.body)
///     try await consumer.ack(delivery)
/// }
/// ```
public struct AMQPConsumer: Sendable {
    /// The consumer's connection.
    public let connection: AMQPConnection
    /// The queue consumed.
    public let queue: String
    /// For queues that don't count deliveries (classic): a `nack(requeue: true)` of a delivery
    /// already redelivered this many times rejects it instead, which dead-letters it. Quorum
    /// queues enforce `x-delivery-limit` themselves.
    public let localDeliveryLimit: Int?

    /// Connects and starts consuming `queue` (basic.qos `prefetch`, basic.consume with manual acks).
    ///
    /// - Throws: ``AMQPError`` (reply code 404 if the queue does not exist).
    public static func connect(_ configuration: AMQPConfiguration, queue: String, prefetch: UInt16 = 100,
                               localDeliveryLimit: Int? = nil) async throws -> AMQPConsumer {
        precondition(prefetch > 0, "an unbounded prefetch would let the broker flood the consumer")
        let connection = try AMQPConnection(configuration: configuration, confirms: false)
        try await connection.start()
        try await connection.subscribe(queue: queue, prefetch: prefetch)
        return AMQPConsumer(connection: connection, queue: queue, localDeliveryLimit: localDeliveryLimit)
    }

    /// Connects, declares the exclusive, auto-delete `queue` bound to `exchange` on that same
    /// connection (an exclusive queue belongs to the connection that declares it; it is declared
    /// again after a reconnect) and consumes it — for broadcasts every consumer must see once,
    /// such as a fanout exchange's control messages. `exchange` must exist.
    ///
    /// - Throws: ``AMQPError`` (reply code 404 if the exchange does not exist, 405 if another
    ///   connection holds a queue of that name).
    public static func connect(_ configuration: AMQPConfiguration, exclusiveQueue queue: String, boundTo exchange: String,
                               routingKey: String = "", prefetch: UInt16 = 8) async throws -> AMQPConsumer {
        precondition(prefetch > 0, "an unbounded prefetch would let the broker flood the consumer")
        let connection = try AMQPConnection(configuration: configuration, confirms: false)
        try await connection.start()
        do {
            try await connection.declareExclusiveQueue(queue)
            try await connection.bind(queue: queue, exchange: exchange, routingKey: routingKey)
            try await connection.subscribe(queue: queue, prefetch: prefetch)
        } catch {
            await connection.close()
            throw error
        }
        return AMQPConsumer(connection: connection, queue: queue, localDeliveryLimit: nil)
    }

    /// The deliveries, as they arrive; ends after ``close()`` or when the broker cancels the
    /// consumer (queue deleted); throws if reconnecting fails for good.
    public var deliveries: AMQPDeliveries { AMQPDeliveries(connection: connection) }

    /// Acknowledges one delivery.
    public func ack(_ delivery: Delivery) async throws {
        try await settle([delivery], .ack)
    }

    /// Acknowledges a batch (one `multiple` ack when it covers every open delivery up to its highest tag).
    public func ack(_ deliveries: [Delivery]) async throws {
        try await settle(deliveries, .ack)
    }

    /// Negatively acknowledges: back to the queue with `requeue`, else to the dead-letter exchange.
    public func nack(_ delivery: Delivery, requeue: Bool) async throws {
        if requeue, let localDeliveryLimit, delivery.headers["x-delivery-count"] == nil, delivery.deliveryCount >= localDeliveryLimit {
            return try await settle([delivery], .reject)
        }
        try await settle([delivery], .nack(requeue: requeue))
    }

    /// Rejects without requeueing: the message goes to the dead-letter exchange.
    public func reject(_ delivery: Delivery) async throws {
        try await settle([delivery], .reject)
    }

    /// Announces the settle (so the consumer's wait ends for it) and runs it on the connection.
    private func settle(_ deliveries: [Delivery], _ settlement: Settlement) async throws {
        connection.settleSignal.announce()
        try await connection.settle(deliveries, settlement)
    }

    /// Cancels the consumer (basic.cancel), then closes the channel and connection; unacked
    /// deliveries return to the queue.
    public func close() async {
        await connection.close()
    }
}

/// The async sequence of a consumer's deliveries.
public struct AMQPDeliveries: AsyncSequence, Sendable {
    public typealias Element = Delivery
    let connection: AMQPConnection

    public func makeAsyncIterator() -> Iterator {
        Iterator(connection: connection)
    }

    /// Pulls batches of deliveries from the connection's thread and hands them out one by one.
    public struct Iterator: AsyncIteratorProtocol {
        let connection: AMQPConnection
        private var buffer: [Delivery] = []
        private var position = 0

        init(connection: AMQPConnection) {
            self.connection = connection
        }

        /// The next delivery; `nil` once the consumer is closed or cancelled.
        public mutating func next() async throws -> Delivery? {
            while position == buffer.count {
                try Task.checkCancellation()
                guard let batch = try await connection.nextDeliveries(limit: 256) else { return nil }
                buffer = batch
                position = 0
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
