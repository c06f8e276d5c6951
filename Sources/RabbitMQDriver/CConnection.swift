import CRabbitMQ
import DriverSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one owner of a librabbitmq connection handle. Not Sendable: it lives inside an actor that
/// runs on its own thread (``AMQPConnection``), checks every return code and reply, and frees the
/// handle in `deinit`.
final class CConnection {
    let state: amqp_connection_state_t
    private let description: String
    /// Set once the socket or the broker failed; the handle must then be replaced.
    private(set) var broken = false

    /// Opens a TCP connection, logs in and sets the RPC timeout.
    init(endpoint: ConnectionURL, heartbeat: Duration, timeout: Duration) throws(AMQPError) {
        guard let state = amqp_new_connection() else { throw AMQPError(.library, "amqp_new_connection") }
        self.state = state
        self.description = endpoint.description
        guard let socket = amqp_tcp_socket_new(state) else {
            throw AMQPError(.library, "amqp_tcp_socket_new")
        }
        var tv = Self.timeout(timeout)
        let opened = endpoint.host.withCString { amqp_socket_open_noblock(socket, $0, Int32(endpoint.port), &tv) }
        guard opened == AMQP_STATUS_OK.rawValue else {
            broken = true
            throw AMQPError(.connectionFailed, "connect \(description): \(Self.text(opened))")
        }
        var rpcTimeout = Self.timeout(timeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let reply = endpoint.path.withCString { vhost in
            (endpoint.user ?? "guest").withCString { user in
                (endpoint.password ?? "guest").withCString { password in
                    lr_amqp_login_plain(state, vhost, 0, Int32(AMQP_DEFAULT_FRAME_SIZE),
                                        Int32(heartbeat.wholeMilliseconds / 1000), user, password)
                }
            }
        }
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            broken = true
            throw AMQPError(.connectionFailed, "login \(description): \(Self.describe(reply))")
        }
    }

    deinit {
        if !broken { _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS) }
        amqp_destroy_connection(state)
    }

    /// Marks the handle unusable (after a failure the caller noticed itself, e.g. a confirm timeout).
    func markBroken() { broken = true }

    /// Closes the connection politely; the handle is freed in `deinit`.
    func close() {
        guard !broken else { return }
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        broken = true
    }

    /// Checks the reply of the last synchronous method. A channel the broker closed is acknowledged
    /// (close-ok) and reported as ``AMQPError/Code/channelClosed``; anything else breaks the connection.
    func checkReply(_ operation: @autoclosure () -> String, channel: amqp_channel_t) throws(AMQPError) {
        let reply = amqp_get_rpc_reply(state)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == LR_AMQP_CHANNEL_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            _ = lr_amqp_send_channel_close_ok(state, channel)
            throw AMQPError(.channelClosed, "\(operation()): \(Self.string(close.reply_text))", replyCode: Int(close.reply_code))
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == LR_AMQP_CONNECTION_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            _ = lr_amqp_send_connection_close_ok(state)
            broken = true
            throw AMQPError(.connectionLost, "\(operation()): \(Self.string(close.reply_text))", replyCode: Int(close.reply_code))
        default:
            broken = true
            let code: AMQPError.Code = reply.library_error == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : .connectionLost
            throw AMQPError(code, "\(operation()) on \(description): \(Self.describe(reply))")
        }
    }

    /// Checks a status code returned by an asynchronous method (publish, ack…); any failure breaks the connection.
    func checkStatus(_ status: Int32, _ operation: @autoclosure () -> String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        broken = true
        throw AMQPError(.connectionLost, "\(operation()) on \(description): \(Self.text(status))")
    }

    /// Opens channel `channel`.
    func openChannel(_ channel: amqp_channel_t) throws(AMQPError) {
        amqp_channel_open(state, channel)
        try checkReply("channel.open \(channel)", channel: channel)
    }

    // MARK: - C helpers

    static func timeout(_ duration: Duration) -> timeval {
        let ms = max(0, duration.wholeMilliseconds)
        return timeval(tv_sec: Int(ms / 1000), tv_usec: Int(ms % 1000) * 1000)
    }

    static func string(_ bytes: amqp_bytes_t) -> String {
        guard let base = bytes.bytes, bytes.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }

    static func array(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard let base = bytes.bytes, bytes.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }

    static func text(_ status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }

    static func describe(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_NONE: "no reply"
        case AMQP_RESPONSE_LIBRARY_EXCEPTION: text(reply.library_error)
        case AMQP_RESPONSE_SERVER_EXCEPTION: "server closed with method \(reply.reply.id)"
        default: "ok"
        }
    }
}
