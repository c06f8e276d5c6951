/// What one ``OutboxRelay/relayOnce()`` did.
public struct RelayPass: Sendable, Equatable {
    /// Rows claimed.
    public var claimed: Int
    /// Rows the publisher confirmed and that were marked published.
    public var published: Int

    /// Creates a pass.
    public init(claimed: Int, published: Int) {
        self.claimed = claimed
        self.published = published
    }
}
