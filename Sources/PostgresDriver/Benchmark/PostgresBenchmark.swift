import Foundation
import WorkflowDrivers
import WorkflowProtocol

/// Measures transition applies per second through ``PostgresExecutionStore`` beside the ceiling
/// `pgbench` measures in the same run with an equivalent insert, in a scratch database that is
/// dropped afterwards. Prints nothing and asserts nothing: the caller reports the result.
///
/// ```swift
/// let result = try await PostgresBenchmark.run(url: ServerSettings.databaseURL)
/// print(result)
/// ```
public enum PostgresBenchmark {
    /// What to run.
    public struct Options: Sendable {
        /// Transitions applied in each of the two store phases. Default 20,000.
        public var transitions = 20_000
        /// Concurrent tasks (and pool connections, and pgbench clients). Default 8.
        public var concurrency = 8
        /// Updates per ``PostgresExecutionStore/commitBatch(_:)-([ExecutionUpdate])`` call (and transitions per pgbench batch transaction). Default 100.
        public var batchSize = 100
        /// Seconds each pgbench run lasts. Default 10.
        public var pgbenchSeconds = 10
        /// The `pgbench` executable. Default `/usr/bin/pgbench`.
        public var pgbenchPath = "/usr/bin/pgbench"

        /// The defaults.
        public init() {}
    }

    /// Runs the four measurements against the server at `url` (its role needs `CREATEDB`).
    public static func run(url: String, options: Options = Options()) async throws -> PostgresBenchmarkResult {
        try await run(configuration: PostgresConfiguration(url: url), options: options)
    }

    /// Runs the four measurements against the server `configuration` names (the pool size becomes `concurrency`).
    public static func run(configuration: PostgresConfiguration, options: Options = Options()) async throws -> PostgresBenchmarkResult {
        var configuration = configuration
        configuration.poolSize = options.concurrency
        return try await PostgresScratchDatabase.with(configuration: configuration, prefix: "lazyrabbit_bench_") { pool in
            let workload = BenchmarkWorkload(store: PostgresExecutionStore(pool: pool), options: options)
            try await workload.createExecutions()
            let single = try await workload.singleCommits()
            let batched = try await workload.batchedCommits()
            let pgbench = PgbenchCeiling(configuration: pool.configuration, options: options)
            try await pgbench.prepare(pool)
            return PostgresBenchmarkResult(
                options: options, singleCommitsPerSecond: single, batchedCommitsPerSecond: batched,
                pgbenchSinglePerSecond: try await pgbench.measure(rowsPerTransaction: 1),
                pgbenchBatchedPerSecond: try await pgbench.measure(rowsPerTransaction: options.batchSize))
        }
    }
}

/// The figures of one ``PostgresBenchmark`` run, in transitions (rows) per second.
public struct PostgresBenchmarkResult: Sendable, CustomStringConvertible {
    /// What ran.
    public var options: PostgresBenchmark.Options
    /// One ``PostgresExecutionStore/commit(_:)`` per transition, `concurrency` tasks at once.
    public var singleCommitsPerSecond: Double
    /// ``PostgresExecutionStore/commitBatch(_:)-([ExecutionUpdate])`` of `batchSize` updates, `concurrency` tasks at once.
    public var batchedCommitsPerSecond: Double
    /// pgbench, the writes of one transition per transaction, `concurrency` clients.
    public var pgbenchSinglePerSecond: Double
    /// pgbench, the writes of `batchSize` transitions per transaction, `concurrency` clients.
    public var pgbenchBatchedPerSecond: Double

    /// Single commits as a fraction of pgbench's single-insert ceiling.
    public var singleRatio: Double { singleCommitsPerSecond / pgbenchSinglePerSecond }
    /// Batched commits as a fraction of pgbench's batched-insert ceiling.
    public var batchedRatio: Double { batchedCommitsPerSecond / pgbenchBatchedPerSecond }

    public var description: String {
        func line(_ name: String, _ ours: Double, _ ceiling: Double, _ ratio: Double) -> String {
            String(format: "%@ %10.0f transitions/s   pgbench (same writes) %10.0f transitions/s   %5.1f%%", name, ours, ceiling, ratio * 100)
        }
        return """
            PostgreSQL transition applies (\(options.concurrency) tasks, \(options.transitions) transitions per phase):
            \(line("single commit       ", singleCommitsPerSecond, pgbenchSinglePerSecond, singleRatio))
            \(line("commitBatch of \(String(format: "%-5d", options.batchSize))", batchedCommitsPerSecond, pgbenchBatchedPerSecond, batchedRatio))
            """
    }
}
