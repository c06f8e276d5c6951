import CRabbitMQ

/// Where a batch goes when it is delayed: a delay queue and the per-message TTL.
struct DelayRoute: Sendable {
    var queue: String
    var expirationMilliseconds: Int64
}

extension AMQPConnection {
    /// Publishes `messages` persistently with at most `window` unconfirmed in flight and waits
    /// for every confirm. A lost connection mid-batch does not throw: messages not yet answered
    /// come back `unconfirmed` and the connection is replaced on the next call.
    ///
    /// - Throws: ``AMQPError`` when no connection can be (re)established before publishing, and
    ///   ``AMQPError/Code/channelClosed`` when the broker refuses the publishing itself (an unknown
    ///   exchange: reply code 404) — republishing would not help.
    func publishBatch(_ messages: [OutgoingMessage], window: Int, delay: DelayRoute?) async throws -> [PublishResult] {
        precondition(confirms, "publishBatch needs a publisher connection")
        guard !messages.isEmpty else { return [] }
        var connection = try await ready()
        // A connection idle for a while may have been closed by the broker (missed heartbeats,
        // restart): read what is pending first, so the batch goes to a live connection.
        do throws(AMQPError) {
            while try connection.waitFrame(timeout: .zero) != nil {}
        } catch {
            note(error)
            connection = try await ready()
        }
        var tracker = ConfirmTracker(firstTag: nextPublishTag, count: messages.count)
        let arena = CArena()
        let startGeneration = generation
        do throws(AMQPError) {
            for (index, message) in messages.enumerated() {
                while tracker.inFlight >= window { try awaitConfirms(on: connection, &tracker) }
                try send(message, delay: delay, on: connection, arena: arena)
                nextPublishTag += 1
                tracker.recordSent()
                // Read confirms that already arrived, without blocking, every so often.
                if index % 64 == 63 {
                    while let frame = try connection.waitFrame(timeout: .zero) { apply(frame, to: &tracker) }
                }
            }
            while tracker.inFlight > 0 { try awaitConfirms(on: connection, &tracker) }
        } catch {
            if generation == startGeneration { note(error) }
            if error.code == .channelClosed { throw error }
        }
        return tracker.results(for: messages)
    }

    private func send(_ message: OutgoingMessage, delay: DelayRoute?, on connection: CConnection, arena: CArena) throws(AMQPError) {
        var properties = amqp_basic_properties_t()
        properties._flags = LR_AMQP_FLAG_DELIVERY_MODE | LR_AMQP_FLAG_MESSAGE_ID
        properties.delivery_mode = 2
        properties.message_id = arena.bytes(message.messageID, intern: false)
        if !message.headers.isEmpty {
            properties._flags |= LR_AMQP_FLAG_HEADERS
            properties.headers = arena.table(message.headers)
        }
        let exchange = delay == nil ? message.exchange : ""
        let routingKey = delay?.queue ?? message.routingKey
        if let delay {
            properties._flags |= LR_AMQP_FLAG_EXPIRATION
            properties.expiration = arena.bytes(String(delay.expirationMilliseconds))
        }
        let status = message.body.withUnsafeBytes { body in
            amqp_basic_publish(connection.state, Self.channel, arena.bytes(exchange), arena.bytes(routingKey), 0, 0, &properties,
                               amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        try connection.checkStatus(status, "basic.publish to \(exchange)/\(routingKey)")
    }

    /// Blocks until at least one confirm arrives; past ``AMQPConfiguration/confirmTimeout``
    /// without one, the connection is declared broken.
    private func awaitConfirms(on connection: CConnection, _ tracker: inout ConfirmTracker) throws(AMQPError) {
        let deadline = ContinuousClock.now + configuration.confirmTimeout
        let settledBefore = tracker.settled
        while tracker.settled == settledBefore {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                connection.markBroken()
                throw AMQPError(.timeout, "no publisher confirm for \(configuration.confirmTimeout)")
            }
            if let frame = try connection.waitFrame(timeout: min(remaining, .seconds(1))) { apply(frame, to: &tracker) }
        }
    }

    private func apply(_ frame: IncomingFrame, to tracker: inout ConfirmTracker) {
        switch frame {
        case .ack(let tag, let multiple): tracker.settle(tag: tag, multiple: multiple, outcome: .confirmed)
        case .nack(let tag, let multiple): tracker.settle(tag: tag, multiple: multiple, outcome: .nacked)
        case .consumerCancelled, .other: break
        }
    }
}
