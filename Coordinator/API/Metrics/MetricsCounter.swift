/// A monotonically increasing count in a ``MetricsRegistry``.
public struct MetricsCounter: Sendable {
    let registry: MetricsRegistry
    /// The metric's name.
    public let name: String

    /// Adds `amount` (default 1) to the series with `labels`.
    public func increment(by amount: Double = 1, labels: [String: String] = [:]) {
        registry.update(name, labels: labels) { series, _ in series.value += max(0, amount) }
    }
}
