/// A distribution of observed values (durations, sizes) in cumulative buckets of a ``MetricsRegistry``.
public struct MetricsHistogram: Sendable {
    let registry: MetricsRegistry
    /// The metric's name.
    public let name: String

    /// Records `value` in the series with `labels`.
    public func observe(_ value: Double, labels: [String: String] = [:]) {
        registry.update(name, labels: labels) { series, bounds in
            for (index, bound) in bounds.enumerated() where value <= bound { series.bucketCounts[index] += 1 }
            series.value += value
            series.count += 1
        }
    }
}
