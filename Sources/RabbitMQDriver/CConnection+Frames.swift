import CRabbitMQ

/// A method frame the publisher's or consumer's loop cares about.
enum IncomingFrame {
    case ack(tag: UInt64, multiple: Bool)
    case nack(tag: UInt64, multiple: Bool)
    /// The broker cancelled the consumer (its queue was deleted).
    case consumerCancelled
    /// Heartbeat replies, content of returned messages and other frames nobody waits for.
    case other
}

/// What one consume step produced.
enum ConsumeStep {
    case delivery(Delivery)
    case frame(IncomingFrame)
    case timeout
}

extension CConnection {
    /// Waits up to `timeout` for the next frame (heartbeats are answered inside); `nil` on timeout.
    func waitFrame(timeout: Duration) throws(AMQPError) -> IncomingFrame? {
        var frame = amqp_frame_t()
        var tv = Self.timeout(timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &tv)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try checkStatus(status, "wait for frame")
        return try classify(frame)
    }

    /// The socket, for polling it (-1 without one).
    var socket: Int32 { amqp_get_sockfd(state) }

    /// Whether a frame can be read without touching the socket.
    var hasBufferedFrames: Bool {
        amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    /// Waits up to `timeout` for one delivery on any channel of this connection.
    func consumeOne(timeout: Duration, generation: UInt64) throws(AMQPError) -> ConsumeStep {
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var tv = Self.timeout(timeout)
        let reply = amqp_consume_message(state, &envelope, &tv, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_envelope(&envelope) }
            return .delivery(Self.delivery(from: envelope, generation: generation))
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            return .timeout
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
            // A frame other than a delivery arrived first: read it and say what it was.
            var frame = amqp_frame_t()
            try checkStatus(amqp_simple_wait_frame(state, &frame), "read non-delivery frame")
            return .frame(try classify(frame))
        default:
            markBroken()
            throw AMQPError(.connectionLost, "basic.consume wait: \(Self.describe(reply))")
        }
    }

    private func classify(_ frame: amqp_frame_t) throws(AMQPError) -> IncomingFrame {
        guard Int32(frame.frame_type) == AMQP_FRAME_METHOD else { return .other }
        let method = frame.payload.method
        switch method.id {
        case LR_AMQP_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .ack(tag: ack.delivery_tag, multiple: ack.multiple != 0)
        case LR_AMQP_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .nack(tag: nack.delivery_tag, multiple: nack.multiple != 0)
        case LR_AMQP_BASIC_CANCEL:
            return .consumerCancelled
        case LR_AMQP_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            _ = lr_amqp_send_channel_close_ok(state, frame.channel)
            throw AMQPError(.channelClosed, "broker closed channel \(frame.channel): \(Self.string(close.reply_text))",
                            replyCode: Int(close.reply_code))
        case LR_AMQP_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            _ = lr_amqp_send_connection_close_ok(state)
            markBroken()
            throw AMQPError(.connectionLost, "broker closed the connection: \(Self.string(close.reply_text))",
                            replyCode: Int(close.reply_code))
        default:
            return .other
        }
    }

    private static func delivery(from envelope: amqp_envelope_t, generation: UInt64) -> Delivery {
        let properties = envelope.message.properties
        let headers = properties._flags & LR_AMQP_FLAG_HEADERS != 0 ? CArena.decode(properties.headers) : [:]
        let messageID = properties._flags & LR_AMQP_FLAG_MESSAGE_ID != 0 ? string(properties.message_id) : nil
        return Delivery(
            body: array(envelope.message.body),
            messageID: messageID,
            headers: headers,
            deliveryTag: envelope.delivery_tag,
            redelivered: envelope.redelivered != 0,
            deliveryCount: headers["x-delivery-count"]?.intValue.map { Int($0) } ?? 0,
            channelGeneration: generation
        )
    }
}
