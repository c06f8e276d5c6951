import CRabbitMQ
import DriverSupport

/// The benchmark's ceiling: publish with a confirm window and consume with prefetch in tight
/// loops straight over librabbitmq, on its own thread, with none of the library's bookkeeping
/// (no per-message results, no header decoding, no reconnects).
actor CeilingLoop {
    private nonisolated let executor = ThreadExecutor(name: "lazyrabbit.amqp.ceiling")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let configuration: AMQPConfiguration

    init(configuration: AMQPConfiguration) {
        self.configuration = configuration
    }

    deinit {
        executor.shutdown()
    }

    func run(queue: String, body: [UInt8], messages: Int, window: Int, prefetch: UInt16) throws(AMQPError) -> AMQPBenchmarkResult.Phases {
        let endpoint = try configuration.endpoint()
        let clock = ContinuousClock()
        let publishStart = clock.now
        try publish(endpoint: endpoint, queue: queue, body: body, messages: messages, window: window)
        let publishTime = publishStart.duration(to: clock.now)
        let consumeStart = clock.now
        try consume(endpoint: endpoint, queue: queue, messages: messages, prefetch: prefetch)
        return AMQPBenchmarkResult.Phases(messages: messages, publish: publishTime, consume: consumeStart.duration(to: clock.now))
    }

    private func connect(_ endpoint: ConnectionURL) throws(AMQPError) -> CConnection {
        let connection = try CConnection(endpoint: endpoint, heartbeat: configuration.heartbeat, timeout: configuration.operationTimeout)
        try connection.openChannel(1)
        return connection
    }

    private func publish(endpoint: ConnectionURL, queue: String, body: [UInt8], messages: Int, window: Int) throws(AMQPError) {
        let connection = try connect(endpoint)
        defer { connection.close() }
        amqp_confirm_select(connection.state, 1)
        try connection.checkReply("confirm.select", channel: 1)
        var properties = amqp_basic_properties_t()
        properties._flags = LR_AMQP_FLAG_DELIVERY_MODE | LR_AMQP_FLAG_MESSAGE_ID
        properties.delivery_mode = 2
        var sent: UInt64 = 0, confirmed: UInt64 = 0
        let status: Int32 = queue.withCString { name in
            "b-0".withCString { messageID in
                body.withUnsafeBytes { raw in
                    properties.message_id = amqp_cstring_bytes(messageID)
                    let payload = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                    var frame = amqp_frame_t()
                    while confirmed < UInt64(messages) {
                        if sent < UInt64(messages), sent - confirmed < UInt64(window) {
                            let status = amqp_basic_publish(connection.state, 1, amqp_bytes_t(len: 0, bytes: nil), amqp_cstring_bytes(name),
                                                            0, 0, &properties, payload)
                            guard status == AMQP_STATUS_OK.rawValue else { return status }
                            sent += 1
                            continue
                        }
                        let status = amqp_simple_wait_frame(connection.state, &frame)
                        guard status == AMQP_STATUS_OK.rawValue else { return status }
                        guard Int32(frame.frame_type) == AMQP_FRAME_METHOD, frame.payload.method.id == LR_AMQP_BASIC_ACK else { continue }
                        let ack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                        confirmed = ack.multiple != 0 ? max(confirmed, ack.delivery_tag) : confirmed + 1
                        amqp_maybe_release_buffers(connection.state)
                    }
                    return AMQP_STATUS_OK.rawValue
                }
            }
        }
        try connection.checkStatus(status, "ceiling publish loop")
    }

    private func consume(endpoint: ConnectionURL, queue: String, messages: Int, prefetch: UInt16) throws(AMQPError) {
        let connection = try connect(endpoint)
        defer { connection.close() }
        amqp_basic_qos(connection.state, 1, 0, prefetch, 0)
        try connection.checkReply("basic.qos", channel: 1)
        queue.withCString { name in
            _ = amqp_basic_consume(connection.state, 1, amqp_cstring_bytes(name), amqp_bytes_t(len: 0, bytes: nil), 0, 0, 0,
                                   amqp_table_t(num_entries: 0, entries: nil))
        }
        try connection.checkReply("basic.consume", channel: 1)
        var received = 0
        var timeout = CConnection.timeout(.seconds(10))
        while received < messages {
            amqp_maybe_release_buffers(connection.state)
            var envelope = amqp_envelope_t()
            let reply = amqp_consume_message(connection.state, &envelope, &timeout, 0)
            guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
                throw AMQPError(.library, "ceiling consume loop: \(CConnection.describe(reply))")
            }
            received += 1
            if received % 100 == 0 || received == messages {
                try connection.checkStatus(amqp_basic_ack(connection.state, 1, envelope.delivery_tag, 1), "ceiling ack")
            }
            amqp_destroy_envelope(&envelope)
        }
    }
}
