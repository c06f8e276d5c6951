/// A header value: strings and integers are all LazyRabbit puts in headers.
public enum HeaderValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int64)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }

    /// The integer value, also when sent as a numeric string.
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .string(let text): Int64(text)
        }
    }

    /// The string value, integers rendered in decimal.
    public var stringValue: String {
        switch self {
        case .int(let value): String(value)
        case .string(let text): text
        }
    }
}

/// A persistent message to publish (delivery mode 2).
///
/// ```swift
/// let message = OutgoingMessage(toQueue: "orders", body: Array("hi".utf8), messageID: "m-1",
///                               headers: ["lr.attempt": 1])
/// ```
public struct OutgoingMessage: Sendable {
    /// Exchange to publish to; `""` is the default exchange, which routes by queue name.
    public var exchange: String
    /// Routing key (the queue name on the default exchange).
    public var routingKey: String
    /// The payload.
    public var body: [UInt8]
    /// Application message id; confirm results and deliveries carry it.
    public var messageID: String
    /// Application headers.
    public var headers: [String: HeaderValue]

    /// A message for `exchange` with `routingKey`.
    public init(exchange: String, routingKey: String, body: [UInt8], messageID: String, headers: [String: HeaderValue] = [:]) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.headers = headers
    }

    /// A message for queue `queue` through the default exchange.
    public init(toQueue queue: String, body: [UInt8], messageID: String, headers: [String: HeaderValue] = [:]) {
        self.init(exchange: "", routingKey: queue, body: body, messageID: messageID, headers: headers)
    }
}

/// What became of one published message.
public struct PublishResult: Sendable, Equatable {
    /// How the broker answered.
    public enum Outcome: Sendable, Equatable {
        /// basic.ack: the broker has taken responsibility (persisted / replicated).
        case confirmed
        /// basic.nack: the broker could not take it; republish.
        case nacked
        /// No answer before the connection or channel dropped: it may or may not have arrived; republish
        /// (consumers must be idempotent: at-least-once).
        case unconfirmed
    }

    /// The message's id.
    public var messageID: String
    /// The outcome.
    public var outcome: Outcome

    /// Creates a result.
    public init(messageID: String, outcome: Outcome) {
        self.messageID = messageID
        self.outcome = outcome
    }

    /// Whether the broker confirmed the message.
    public var isConfirmed: Bool { outcome == .confirmed }
}
