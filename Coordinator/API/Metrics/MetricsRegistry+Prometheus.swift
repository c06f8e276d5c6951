import Foundation
import Synchronization

extension MetricsRegistry {
    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        let families = families.withLock { $0 }
        var lines: [String] = []
        for (name, family) in families.sorted(by: { $0.key < $1.key }) {
            lines.append("# HELP \(name) \(family.help.replacingOccurrences(of: "\n", with: " "))")
            lines.append("# TYPE \(name) \(family.kind.rawValue)")
            for (labels, series) in family.series.sorted(by: { $0.key < $1.key }) {
                switch family.kind {
                case .counter, .gauge:
                    lines.append("\(name)\(Self.render(labels.pairs)) \(Self.number(series.value))")
                case .histogram:
                    for (bound, count) in zip(family.buckets, series.bucketCounts) {
                        lines.append("\(name)_bucket\(Self.render(labels.pairs + ["le=\"\(Self.number(bound))\""])) \(count)")
                    }
                    lines.append("\(name)_bucket\(Self.render(labels.pairs + ["le=\"+Inf\""])) \(series.count)")
                    lines.append("\(name)_sum\(Self.render(labels.pairs)) \(Self.number(series.value))")
                    lines.append("\(name)_count\(Self.render(labels.pairs)) \(series.count)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ pairs: [String]) -> String {
        pairs.isEmpty ? "" : "{\(pairs.joined(separator: ","))}"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
