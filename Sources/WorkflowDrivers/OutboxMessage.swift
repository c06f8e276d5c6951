public import Foundation

/// A message to publish, written to the `outbox` table in the same transaction as the state
/// change that caused it and published later by an ``OutboxRelay``.
///
/// `messageID` is stable: a message may reach the broker more than once (a relay that crashed
/// between publishing and marking), and consumers drop the copies by this id. Writing the same
/// `messageID` twice keeps the first.
public struct OutboxMessage: Sendable, Equatable {
    /// The stable id consumers deduplicate by.
    public var messageID: String
    /// The exchange (or topic) to publish to.
    public var topic: String
    /// The routing key.
    public var routingKey: String
    /// The body.
    public var payload: Data
    /// Message headers.
    public var headers: [String: String]
    /// The earliest time to publish it (a durable timer); `nil` publishes at once.
    public var notBefore: Date?

    /// Creates a message.
    public init(messageID: String, topic: String, routingKey: String, payload: Data, headers: [String: String] = [:], notBefore: Date? = nil) {
        self.notBefore = notBefore
        self.messageID = messageID
        self.topic = topic
        self.routingKey = routingKey
        self.payload = payload
        self.headers = headers
    }
}
