import Foundation
import Synchronization

/// Counters, gauges and histograms kept in memory and served as Prometheus text on `GET /metrics`.
/// The API records its HTTP metrics here; the host registers its own and bumps them.
///
/// ```swift
/// let metrics = MetricsRegistry()
/// let applied = metrics.counter("lazyrabbit_transitions_applied_total", help: "Transitions persisted.")
/// applied.increment(labels: ["kind": "state_completed"])
/// ```
public final class MetricsRegistry: Sendable {
    /// What a family measures.
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// One series' value.
    struct Series {
        var value: Double = 0
        var bucketCounts: [Int] = []
        var count: Int = 0
    }

    /// A metric name with its help text and series by label set.
    struct Family {
        var kind: Kind
        var help: String
        var buckets: [Double]
        var series: [Labels: Series] = [:]
    }

    /// A canonical (sorted) label set.
    struct Labels: Hashable, Comparable {
        var pairs: [String]

        init(_ labels: [String: String]) {
            pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
        }

        static func < (lhs: Labels, rhs: Labels) -> Bool { lhs.pairs.lexicographicallyPrecedes(rhs.pairs) }

        static func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    let families = Mutex<[String: Family]>([:])

    /// An empty registry.
    public init() {}

    /// A counter named `name` (registered on first use; later calls return the same one).
    public func counter(_ name: String, help: String) -> MetricsCounter {
        register(name, kind: .counter, help: help)
        return MetricsCounter(registry: self, name: name)
    }

    /// A gauge named `name`.
    public func gauge(_ name: String, help: String) -> MetricsGauge {
        register(name, kind: .gauge, help: help)
        return MetricsGauge(registry: self, name: name)
    }

    /// A histogram named `name` with upper bucket bounds `buckets` (`+Inf` is implied).
    public func histogram(_ name: String, help: String, buckets: [Double]) -> MetricsHistogram {
        register(name, kind: .histogram, help: help, buckets: buckets.sorted())
        return MetricsHistogram(registry: self, name: name)
    }

    private func register(_ name: String, kind: Kind, help: String, buckets: [Double] = []) {
        families.withLock { families in
            if families[name] == nil { families[name] = Family(kind: kind, help: help, buckets: buckets) }
        }
    }

    /// Applies `change` to one series of `name`.
    func update(_ name: String, labels: [String: String], _ change: (inout Series, [Double]) -> Void) {
        families.withLock { families in
            guard var family = families[name] else { return }
            let key = Labels(labels)
            var series = family.series[key] ?? Series(bucketCounts: Array(repeating: 0, count: family.buckets.count))
            change(&series, family.buckets)
            family.series[key] = series
            families[name] = family
        }
    }
}
