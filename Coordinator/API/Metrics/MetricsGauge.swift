/// A value that goes up and down in a ``MetricsRegistry``.
public struct MetricsGauge: Sendable {
    let registry: MetricsRegistry
    /// The metric's name.
    public let name: String

    /// Sets the series with `labels` to `value`.
    public func set(_ value: Double, labels: [String: String] = [:]) {
        registry.update(name, labels: labels) { series, _ in series.value = value }
    }

    /// Adds `amount` (negative to subtract) to the series with `labels`.
    public func add(_ amount: Double, labels: [String: String] = [:]) {
        registry.update(name, labels: labels) { series, _ in series.value += amount }
    }
}
