import ArgumentParser
import FaultInjection
import Foundation

extension LazyRabbit {
    /// `lazyrabbit faults`: the fault-injection suite against a real local cluster (docs/faults.md).
    struct Faults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Break a real local cluster on purpose and check that no execution is lost or applied twice (docs/faults.md).",
            discussion: """
                For each fault: a scratch database, a coordinator and workers started from this binary under a fresh \
                queue prefix, a steady workload over the REST API, the fault injected halfway and healed, then the \
                invariants I1–I6 checked. Servers come from LAZYRABBIT_DATABASE_URL, LAZYRABBIT_AMQP_URL and \
                LAZYRABBIT_REDIS_URL (scripts/services). broker-restart, broker-kill, postgres-restart and \
                redis-flush-and-lock-expiry disturb those shared servers (and restore them). Exits 1 if any fault fails. \
                Faults: \(Fault.allCases.map(\.rawValue).joined(separator: ", ")).
                """)

        @Option(name: .customLong("fault"), help: ArgumentHelp("A fault to run (repeatable), or `all`.", valueName: "name"))
        var faults: [String] = ["all"]

        @Option(help: "Executions submitted per fault (faults with wide parallel states submit a share of it).")
        var executions: Int = 200

        @Option(help: "Worker processes.")
        var workers: Int = 2

        @Option(help: "Executions submitted per second.")
        var rate: Double = 10

        @Option(help: "Seconds the backlog may take to drain after the heal.")
        var drainTimeout: Int = 240

        @Flag(help: "Print the results as JSON.")
        var json = false

        func validate() throws {
            for name in faults where name != "all" && Fault(rawValue: name) == nil {
                throw ValidationError("unknown fault `\(name)`; one of: all, \(Fault.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard executions >= 4 else { throw ValidationError("--executions must be at least 4") }
            guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
            guard rate > 0, rate <= 20 else { throw ValidationError("--rate must be in (0, 20] (the API's rate limit)") }
            guard drainTimeout > 0 else { throw ValidationError("--drain-timeout must be positive") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            let selected = faults.contains("all") ? Fault.allCases : faults.compactMap(Fault.init(rawValue:))
            let suite = FaultSuite(
                executable: try LazyRabbit.executablePath(), executions: executions, workers: workers, rate: rate,
                drainTimeout: .seconds(drainTimeout), log: { printer.line($0, style: .dim) })
            var results: [FaultResult] = []
            for fault in selected {
                printer.line("fault \(fault.rawValue): \(fault.summary) …", style: .dim)
                let result = await suite.run(fault)
                results.append(result)
                if !json { print(result.text + "\n") }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                let failed = results.filter { !$0.passed }.map(\.fault.rawValue)
                print(failed.isEmpty ? "faults: all \(results.count) passed" : "faults: \(failed.count) of \(results.count) failed: \(failed.joined(separator: ", "))")
            }
            if results.contains(where: { !$0.passed }) { throw ExitCodes.failed }
        }
    }
}
