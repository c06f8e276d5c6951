import Benchmarks
import Foundation

/// Benchmark results as a fixed-width table.
enum BenchmarkTable {
    static func render(_ results: [BenchmarkResult]) -> String {
        let header = ["workload", "mode", "store", "conc", "wall s", "steps", "steps/s", "records/s", "gap p50 ms", "p95 ms", "p99 ms", "ideal ×", "cpu s", "rss MiB"]
        let rows = results.map { result -> [String] in
            [
                result.workload.rawValue, result.mode, result.store, "\(result.workerConcurrency)",
                format(result.wallSeconds, 3), "\(result.steps)", format(result.stepsPerSecond, 0), format(result.recordsPerSecond, 0),
                result.overheadP50.map { format($0, 3) } ?? "-", result.overheadP95.map { format($0, 3) } ?? "-",
                result.overheadP99.map { format($0, 3) } ?? "-", result.ratioToIdeal.map { format($0, 2) } ?? "-",
                format(result.cpuSeconds, 2), format(result.peakRSSMiB, 1),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let processes = results.flatMap { result in
            (result.processes ?? []).map { "  \(result.workload.rawValue) \($0.name): cpu \(format($0.cpuSeconds, 2)) s, peak rss \(format($0.peakRSSMiB, 1)) MiB" }
        }
        return (lines + (processes.isEmpty ? [] : ["", "per process:"] + processes)).joined(separator: "\n")
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
