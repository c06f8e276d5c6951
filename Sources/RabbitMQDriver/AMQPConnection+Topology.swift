import CRabbitMQ

extension AMQPConnection {
    /// Declares a durable exchange (idempotent) and remembers it for reconnects.
    ///
    /// - Throws: ``AMQPError`` (``AMQPError/Code/channelClosed`` with reply code 406 if it exists with another type).
    public func declareExchange(_ name: String, kind: ExchangeKind = .direct) async throws {
        try await declare(.exchange(name: name, kind: kind))
    }

    /// Declares a durable queue: quorum by default (`x-queue-type: quorum`), classic as an option;
    /// `arguments` adds queue arguments (`x-dead-letter-exchange`, `x-delivery-limit`, `x-message-ttl`…).
    public func declareQueue(_ name: String, kind: QueueKind = .quorum, arguments: [String: HeaderValue] = [:]) async throws {
        var arguments = arguments
        if kind == .quorum { arguments["x-queue-type"] = "quorum" }
        try await declare(.queue(name: name, arguments: arguments))
    }

    /// Declares a classic, non-durable, exclusive, auto-delete queue: it belongs to this
    /// connection and disappears with it (or when its last consumer goes). After a reconnect it
    /// is declared again (empty); until the broker notices the old connection is gone, that
    /// redeclare is refused (405) and the reconnect retries.
    public func declareExclusiveQueue(_ name: String) async throws {
        try await declare(.exclusiveQueue(name: name))
    }

    /// Binds `queue` to `exchange` with `routingKey`.
    public func bind(queue: String, exchange: String, routingKey: String) async throws {
        try await declare(.binding(queue: queue, exchange: exchange, routingKey: routingKey))
    }

    /// Declares a work queue with its dead-letter exchange `<name>.dlx` (direct) and dead-letter
    /// queue `<name>.dlq`. Rejected messages, and on quorum queues messages delivered more than
    /// `deliveryLimit` times (`x-delivery-limit`), go to the dead-letter queue. Classic queues
    /// don't count deliveries: ``AMQPConsumer`` counts redeliveries itself and rejects past the limit.
    public func declareWorkQueue(_ name: String, kind: QueueKind = .quorum, deliveryLimit: Int? = 5) async throws -> WorkQueue {
        let queue = WorkQueue(name: name, kind: kind, deliveryLimit: deliveryLimit)
        try await declareExchange(queue.deadLetterExchange, kind: .direct)
        try await declareQueue(queue.deadLetterQueue, kind: kind)
        try await bind(queue: queue.deadLetterQueue, exchange: queue.deadLetterExchange, routingKey: name)
        var arguments: [String: HeaderValue] = [
            "x-dead-letter-exchange": .string(queue.deadLetterExchange),
            "x-dead-letter-routing-key": .string(name),
        ]
        if kind == .quorum, let deliveryLimit { arguments["x-delivery-limit"] = .int(Int64(deliveryLimit)) }
        try await declareQueue(name, kind: kind, arguments: arguments)
        return queue
    }

    /// Ready messages and consumers of `queue` (a passive declare), for autoscaling and the admin CLI.
    ///
    /// - Throws: ``AMQPError`` with reply code 404 if the queue does not exist.
    public func stats(ofQueue queue: String) async throws -> QueueStats {
        try await withRetry("queue.declare passive \(queue)") { connection throws(AMQPError) in
            let arena = CArena()
            let ok = amqp_queue_declare(connection.state, Self.channel, arena.bytes(queue), 1, 0, 0, 0, arena.table([:]))
            try connection.checkReply("queue.declare passive \(queue)", channel: Self.channel)
            guard let ok else { throw AMQPError(.library, "queue.declare passive \(queue): no reply") }
            return QueueStats(messages: Int(ok.pointee.message_count), consumers: Int(ok.pointee.consumer_count))
        }
    }

    /// Deletes `queue` (with its messages) and forgets it.
    public func deleteQueue(_ queue: String) async throws {
        topology.removeAll { $0.mentions(queue) }
        try await withRetry("queue.delete \(queue)") { connection throws(AMQPError) in
            let arena = CArena()
            amqp_queue_delete(connection.state, Self.channel, arena.bytes(queue), 0, 0)
            try connection.checkReply("queue.delete \(queue)", channel: Self.channel)
        }
    }

    /// Deletes `exchange` and forgets it.
    public func deleteExchange(_ exchange: String) async throws {
        topology.removeAll { $0.mentions(exchange) }
        try await withRetry("exchange.delete \(exchange)") { connection throws(AMQPError) in
            let arena = CArena()
            amqp_exchange_delete(connection.state, Self.channel, arena.bytes(exchange), 0)
            try connection.checkReply("exchange.delete \(exchange)", channel: Self.channel)
        }
    }

    /// Deletes a work queue, its dead-letter queue and exchange, and the delay queues that
    /// ``AMQPPublisher`` declared on this connection for it.
    public func deleteWorkQueue(_ queue: WorkQueue) async throws {
        let delayQueues = topology.compactMap { declaration -> String? in
            if case .queue(let name, _) = declaration, name.hasPrefix("\(queue.name).delay.") { return name }
            return nil
        }
        for name in delayQueues { try await deleteQueue(name) }
        try await deleteQueue(queue.name)
        try await deleteQueue(queue.deadLetterQueue)
        try await deleteExchange(queue.deadLetterExchange)
    }

    /// Declares and remembers `declaration` unless this connection already did.
    func declare(_ declaration: TopologyDeclaration) async throws {
        guard !topology.contains(declaration) else { return }
        try await withRetry("declare \(declaration)") { connection throws(AMQPError) in try apply(declaration, on: connection) }
        topology.append(declaration)
    }

    /// Runs one idempotent synchronous method, once more after a reconnect if the connection broke.
    func withRetry<T>(_ operation: String, _ body: (CConnection) throws(AMQPError) -> T) async throws -> T {
        for attempt in 0..<2 {
            let connection = try await ready()
            do throws(AMQPError) {
                return try body(connection)
            } catch {
                note(error)
                if attempt == 1 || !error.breaksConnection { throw error }
            }
        }
        throw AMQPError(.connectionLost, operation)
    }

    /// Sends `declaration` on the channel and checks the reply.
    func apply(_ declaration: TopologyDeclaration, on connection: CConnection) throws(AMQPError) {
        let arena = CArena()
        switch declaration {
        case .exchange(let name, let kind):
            amqp_exchange_declare(connection.state, Self.channel, arena.bytes(name), arena.bytes(kind.rawValue), 0, 1, 0, 0, arena.table([:]))
            try connection.checkReply("exchange.declare \(name)", channel: Self.channel)
        case .queue(let name, let arguments):
            amqp_queue_declare(connection.state, Self.channel, arena.bytes(name), 0, 1, 0, 0, arena.table(arguments))
            try connection.checkReply("queue.declare \(name)", channel: Self.channel)
        case .exclusiveQueue(let name):
            amqp_queue_declare(connection.state, Self.channel, arena.bytes(name), 0, 0, 1, 1, arena.table([:]))
            try connection.checkReply("queue.declare exclusive \(name)", channel: Self.channel)
        case .binding(let queue, let exchange, let routingKey):
            amqp_queue_bind(connection.state, Self.channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey), arena.table([:]))
            try connection.checkReply("queue.bind \(queue) to \(exchange)", channel: Self.channel)
        }
    }
}
