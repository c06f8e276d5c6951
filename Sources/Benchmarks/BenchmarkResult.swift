import Foundation

/// The figures of one workload run.
public struct BenchmarkResult: Sendable, Codable {
    public var workload: Workload
    public var mode: String
    public var store: String
    public var workerConcurrency: Int
    public var executions: Int
    /// Task steps run (callbacks), the unit of "transitions/s" in the workload definitions.
    public var steps: Int
    /// Transition records persisted (entered, completed, started, finished, ...).
    public var transitionRecords: Int
    public var wallSeconds: Double
    public var stepsPerSecond: Double { steps > 0 && wallSeconds > 0 ? Double(steps) / wallSeconds : 0 }
    public var recordsPerSecond: Double { wallSeconds > 0 ? Double(transitionRecords) / wallSeconds : 0 }
    /// Milliseconds between one step's end and the next one's start (p50, p95, p99); nil where not measured.
    public var overheadP50: Double?
    public var overheadP95: Double?
    public var overheadP99: Double?
    /// For W4: the wall time with perfect overlap at the configured concurrency, and how far off the run was.
    public var idealWallSeconds: Double?
    public var effectiveConcurrency: Double?
    public var cpuSeconds: Double
    public var peakRSSMiB: Double
    /// Distributed mode: CPU seconds and peak RSS of each process (coordinator, workers).
    public var processes: [ProcessFigures]?

    /// `wallSeconds / idealWallSeconds`.
    public var ratioToIdeal: Double? { idealWallSeconds.map { wallSeconds / $0 } }
}

/// What one process of a distributed run used.
public struct ProcessFigures: Sendable, Codable {
    /// `coordinator` or `worker-N`.
    public var name: String
    public var cpuSeconds: Double
    public var peakRSSMiB: Double
}

extension BenchmarkResult {
    /// The value at `fraction` (0...1) of sorted `values`, nearest-rank.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
