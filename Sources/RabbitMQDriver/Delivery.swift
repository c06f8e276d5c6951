/// A message delivered to an ``AMQPConsumer``. Settle it with ``AMQPConsumer/ack(_:)``,
/// ``AMQPConsumer/nack(_:requeue:)`` or ``AMQPConsumer/reject(_:)``.
public struct Delivery: Sendable {
    /// The payload.
    public var body: [UInt8]
    /// The publisher's message id (`nil` if it set none).
    public var messageID: String?
    /// Application headers (string and integer values; other types are left out).
    public var headers: [String: HeaderValue]
    /// The broker's tag for this delivery, valid only on the channel it came from.
    public var deliveryTag: UInt64
    /// Whether the broker delivered this message before (to anyone) without an ack.
    public var redelivered: Bool
    /// How many times it was delivered before: `x-delivery-count` on quorum queues; on classic
    /// queues the number of redeliveries this consumer saw itself.
    public var deliveryCount: Int
    /// Which channel incarnation it came from; settling a delivery of an earlier one fails with
    /// ``AMQPError/Code/staleDelivery``.
    let channelGeneration: UInt64
}
