import Foundation

/// The fault-injection suite: for each fault, a cluster of real processes, a steady workload over
/// the REST API, the fault injected halfway and healed, then I1–I6 checked (docs/faults.md).
///
/// ```swift
/// let suite = FaultSuite(executable: "/path/to/lazyrabbit", executions: 200)
/// let result = await suite.run(.workerKill)
/// print(result.text)
/// ```
public struct FaultSuite: Sendable {
    /// The `lazyrabbit` binary the coordinators and workers run.
    public var executable: String
    /// Executions submitted per fault (faults with wide parallel states take a share of it).
    public var executions: Int
    /// Worker processes.
    public var workers: Int
    /// Submissions per second (the API's default rate limit is 20/s per caller).
    public var rate: Double
    /// How long the backlog may take to drain after the heal before the run fails.
    public var drainTimeout: Duration
    /// Progress lines.
    public var log: @Sendable (String) -> Void

    public init(
        executable: String, executions: Int = 200, workers: Int = 2, rate: Double = 10, drainTimeout: Duration = .seconds(240),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.executable = executable
        self.executions = executions
        self.workers = workers
        self.rate = rate
        self.drainTimeout = drainTimeout
        self.log = log
    }

    /// Runs `fault` end to end; never throws: a run that broke is a failed result saying why.
    public func run(_ fault: Fault) async -> FaultResult {
        let started = ContinuousClock.now
        var result = FaultResult(fault: fault)
        result.expectedDeadLetters = fault.plan.expectedDeadLetters
        do {
            try await FaultRun(fault: fault, suite: self).run(into: &result)
        } catch {
            result.error = "\(error)"
        }
        if fault.touchesSharedServers {
            do { try await SharedServers.restore() } catch { result.error = (result.error.map { $0 + "; " } ?? "") + "restore: \(error)" }
        }
        result.wallSeconds = (ContinuousClock.now - started) / .seconds(1)
        return result
    }
}
