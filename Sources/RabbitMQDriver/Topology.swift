/// The exchange types LazyRabbit uses. Every exchange it declares is durable.
public enum ExchangeKind: String, Sendable {
    case direct, topic, fanout
}

/// The queue types. Quorum queues are the default: replicated, faster here than durable classic
/// queues, and they count deliveries (`x-delivery-limit`).
public enum QueueKind: String, Sendable {
    case quorum, classic
}

/// What a passive `queue.declare` reports: ready messages (not counting unacked ones) and consumers.
public struct QueueStats: Sendable, Equatable {
    /// Messages ready for delivery.
    public var messages: Int
    /// Consumers attached to the queue.
    public var consumers: Int

    /// Creates stats.
    public init(messages: Int, consumers: Int) {
        self.messages = messages
        self.consumers = consumers
    }
}

/// A work queue with its dead-letter exchange and dead-letter queue, as declared by
/// ``AMQPConnection/declareWorkQueue(_:kind:deliveryLimit:)``.
public struct WorkQueue: Sendable, Equatable {
    /// The work queue (`orders`).
    public var name: String
    /// Its type.
    public var kind: QueueKind
    /// Direct exchange that receives its rejected and over-delivered messages (`orders.dlx`).
    public var deadLetterExchange: String
    /// Queue bound to the dead-letter exchange with the work queue's name as key (`orders.dlq`).
    public var deadLetterQueue: String
    /// Deliveries after which a message is dead-lettered instead of requeued (`nil`: no cap).
    public var deliveryLimit: Int?

    /// The names used for `name`'s dead-letter exchange and queue.
    public init(name: String, kind: QueueKind, deliveryLimit: Int?) {
        self.name = name
        self.kind = kind
        self.deadLetterExchange = "\(name).dlx"
        self.deadLetterQueue = "\(name).dlq"
        self.deliveryLimit = deliveryLimit
    }
}

/// One declaration a connection remembers and replays after a reconnect.
enum TopologyDeclaration: Sendable, Equatable {
    case exchange(name: String, kind: ExchangeKind)
    case queue(name: String, arguments: [String: HeaderValue])
    /// A classic, non-durable, exclusive, auto-delete queue (it lives as long as its connection).
    case exclusiveQueue(name: String)
    case binding(queue: String, exchange: String, routingKey: String)

    /// Whether the declaration involves the queue or exchange `name` (for forgetting deleted ones).
    func mentions(_ name: String) -> Bool {
        switch self {
        case .exchange(let exchange, _): exchange == name
        case .queue(let queue, _), .exclusiveQueue(let queue): queue == name
        case .binding(let queue, let exchange, _): queue == name || exchange == name
        }
    }
}
