import CRabbitMQ

/// The consumer a connection runs and restores after reconnects.
struct Subscription {
    var queue: String
    var prefetch: UInt16
    /// The broker-assigned tag of the current basic.consume.
    var tag: String?
    /// Set when the broker cancelled the consumer (queue deleted).
    var cancelledByBroker = false
}

/// How to settle deliveries.
enum Settlement {
    case ack
    case nack(requeue: Bool)
    case reject
}

extension AMQPConnection {
    /// Sets prefetch and starts consuming `queue` with manual acks.
    func subscribe(queue: String, prefetch: UInt16) async throws {
        subscription = Subscription(queue: queue, prefetch: prefetch)
        let connection = try await ready()
        try startConsumer(on: connection)
    }

    /// basic.qos + basic.consume for the subscription, if there is one and it isn't running.
    func startConsumer(on connection: CConnection) throws(AMQPError) {
        guard var subscription, subscription.tag == nil else { return }
        amqp_basic_qos(connection.state, Self.channel, 0, subscription.prefetch, 0)
        try connection.checkReply("basic.qos \(subscription.prefetch)", channel: Self.channel)
        let arena = CArena()
        let ok = amqp_basic_consume(connection.state, Self.channel, arena.bytes(subscription.queue), amqp_bytes_t(len: 0, bytes: nil),
                                    0, 0, 0, arena.table([:]))
        try connection.checkReply("basic.consume \(subscription.queue)", channel: Self.channel)
        subscription.tag = ok.map { CConnection.string($0.pointee.consumer_tag) }
        self.subscription = subscription
    }

    /// Waits for deliveries (at most `limit`): up to 200 ms when nothing is unacked, a few
    /// milliseconds otherwise — and never past an announced settle (``SettleSignal``), so acks
    /// don't wait behind this call. Returns `[]` after a timeout, for a settle, or after a
    /// recovered failure (the next call reconnects), `nil` once the consumer is cancelled.
    ///
    /// - Throws: ``AMQPError`` when reconnecting fails for good.
    func nextDeliveries(limit: Int) async throws -> [Delivery]? {
        guard let subscription, !subscription.cancelledByBroker else { return nil }
        let connection = try await ready()
        let prefetch = Int(subscription.prefetch)
        let wait: Duration = unacked.isEmpty ? .milliseconds(200) : unacked.count >= prefetch ? .milliseconds(2) : .milliseconds(10)
        var batch: [Delivery] = []
        guard !settleSignal.isPending else { return batch }
        do throws(AMQPError) {
            if !connection.hasBufferedFrames, connection.socket >= 0 {
                switch settleSignal.wait(socket: connection.socket, timeout: wait) {
                case .settle: return batch
                case .timeout, .readable: break  // a timeout still calls into the library below: it answers heartbeats
                }
            }
            var step = try connection.consumeOne(timeout: connection.hasBufferedFrames ? wait : .milliseconds(1), generation: generation)
            while true {
                switch step {
                case .delivery(let delivery):
                    batch.append(counted(delivery))
                case .frame(.consumerCancelled):
                    self.subscription?.cancelledByBroker = true
                case .frame, .timeout:
                    return batch
                }
                guard batch.count < limit else { return batch }
                step = try connection.consumeOne(timeout: .zero, generation: generation)
            }
        } catch {
            note(error)
            return batch
        }
    }

    /// Settles deliveries; an ack of every unacked tag up to the highest goes out as one `multiple` ack.
    ///
    /// - Throws: ``AMQPError/Code/staleDelivery`` for deliveries of an earlier channel (nothing
    ///   is sent for any of them; the broker redelivers), ``AMQPError/Code/connectionLost`` if the write fails.
    func settle(_ deliveries: [Delivery], _ settlement: Settlement) throws(AMQPError) {
        defer { settleSignal.done() }
        guard !deliveries.isEmpty else { return }
        guard let handle, !handle.broken, channelOpen, deliveries.allSatisfy({ $0.channelGeneration == generation }) else {
            throw AMQPError(.staleDelivery, "delivery from an earlier connection or channel; the broker redelivers it")
        }
        let tags = deliveries.map(\.deliveryTag)
        do throws(AMQPError) {
            if case .ack = settlement, let highest = tags.max(), unacked.filter({ $0 <= highest }).count == Set(tags).count {
                try handle.checkStatus(amqp_basic_ack(handle.state, Self.channel, highest, 1), "basic.ack multiple \(highest)")
            } else {
                for tag in tags { try settleOne(tag, settlement, on: handle) }
            }
        } catch {
            note(error)
            throw error
        }
        unacked.subtract(tags)
        if case .nack(requeue: true) = settlement { return }
        for delivery in deliveries { if let id = delivery.messageID { localRedeliveries[id] = nil } }
    }

    /// basic.cancel, so that no delivery is in flight when the channel closes (rabbitmq-server#10327).
    func cancelConsumer(on connection: CConnection) {
        guard let tag = subscription?.tag else { return }
        let arena = CArena()
        amqp_basic_cancel(connection.state, Self.channel, arena.bytes(tag))
        try? connection.checkReply("basic.cancel", channel: Self.channel)
        subscription = nil
    }

    private func settleOne(_ tag: UInt64, _ settlement: Settlement, on handle: CConnection) throws(AMQPError) {
        switch settlement {
        case .ack: try handle.checkStatus(amqp_basic_ack(handle.state, Self.channel, tag, 0), "basic.ack \(tag)")
        case .nack(let requeue): try handle.checkStatus(amqp_basic_nack(handle.state, Self.channel, tag, 0, requeue ? 1 : 0), "basic.nack \(tag)")
        case .reject: try handle.checkStatus(amqp_basic_reject(handle.state, Self.channel, tag, 0), "basic.reject \(tag)")
        }
    }

    /// Tracks the tag as unacked and, where the queue doesn't count deliveries, counts redeliveries locally.
    private func counted(_ delivery: Delivery) -> Delivery {
        unacked.insert(delivery.deliveryTag)
        guard delivery.headers["x-delivery-count"] == nil, let id = delivery.messageID else { return delivery }
        guard delivery.redelivered else {
            localRedeliveries[id] = nil
            return delivery
        }
        if localRedeliveries.count > 100_000 { localRedeliveries.removeAll() }
        let count = localRedeliveries[id, default: 0] + 1
        localRedeliveries[id] = count
        var result = delivery
        result.deliveryCount = count
        return result
    }
}
