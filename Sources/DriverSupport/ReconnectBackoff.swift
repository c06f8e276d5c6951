/// Delays between reconnection attempts: doubling from `initial` to `maximum`, with jitter so
/// that many clients don't reconnect in step after a server restart.
public struct ReconnectBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    private var attempt = 0

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt (50–100% of the doubled delay).
    public mutating func next() -> Duration {
        let doubled = initial * (1 << min(attempt, 20))
        attempt += 1
        let capped = min(doubled, maximum)
        return capped * Double.random(in: 0.5...1.0)
    }

    /// Call after a success: the next failure starts again from `initial`.
    public mutating func reset() {
        attempt = 0
    }
}
