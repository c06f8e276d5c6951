/// The one error type of RabbitMQDriver: what went wrong (``Code``), where, and the broker's reply
/// code when the broker refused something (404 NOT_FOUND, 406 PRECONDITION_FAILED, 320 CONNECTION_FORCED…).
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure callers can react to.
    public enum Code: String, Sendable, Equatable {
        /// The connection URL cannot be used.
        case invalidURL
        /// TCP connect or the AMQP handshake (login, channel open) failed.
        case connectionFailed
        /// The connection broke (socket error, missed heartbeats, broker closed it) and is being replaced.
        case connectionLost
        /// Reconnecting kept failing until the configured reconnect timeout.
        case reconnectTimedOut
        /// The broker refused a method on a channel (the channel was closed and is reopened).
        case channelClosed
        /// A blocking wait ran past its timeout.
        case timeout
        /// A delivery came from an earlier connection or channel: it can no longer be acked, the broker redelivers it.
        case staleDelivery
        /// The connection or consumer was closed by its owner.
        case closed
        /// librabbitmq reported an error not covered above.
        case library
    }

    /// What went wrong.
    public var code: Code
    /// The operation and its target (`queue.declare orders`), plus the library's or broker's text.
    public var context: String
    /// The AMQP reply code when the broker closed a channel or the connection.
    public var replyCode: Int?

    /// Creates an error.
    public init(_ code: Code, _ context: String, replyCode: Int? = nil) {
        self.code = code
        self.context = context
        self.replyCode = replyCode
    }

    public var description: String {
        "AMQPError.\(code.rawValue): \(context)\(replyCode.map { " (reply code \($0))" } ?? "")"
    }

    /// Whether the error means the connection must be replaced (not just a channel).
    var breaksConnection: Bool {
        switch code {
        case .connectionLost, .connectionFailed, .timeout, .library: true
        default: false
        }
    }
}
