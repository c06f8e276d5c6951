import ArgumentParser
import Benchmarks
import Foundation
import WorkflowJSON

extension LazyRabbit {
    /// `lazyrabbit bench …`: benchmarks that print figures and judge nothing.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run benchmarks and print their figures.",
            subcommands: [Workloads.self, Infra.self],
            defaultSubcommand: Workloads.self)
    }
}

extension LazyRabbit.Bench {
    /// `lazyrabbit bench [workloads]`: the engine's workloads W1–W4.
    struct Workloads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure throughput, per-step overhead, CPU and memory on the workloads W1–W4.",
            discussion: """
                W1: 1000 executions of a 10-step chain of no-op tasks. W2: 200 × (1 step → 10 parallel → 1). \
                W3: one 20-step chain, 20 times (overhead between one step's end and the next one's start). \
                W4: 500 executions × 3 HTTP GETs to a local server that answers after 50 ms. \
                Figures are printed, never judged: compare runs with --json.
                """)

        enum Mode: String, ExpressibleByArgument, CaseIterable {
            case embedded, distributed
        }

        enum Store: String, ExpressibleByArgument, CaseIterable {
            case memory, sqlite
        }

        @Option(help: "embedded (one process) or distributed (coordinator, workers and the three servers).")
        var mode: Mode = .embedded

        @Option(help: "W1, W2, W3, W4 or all.")
        var workload: String = "all"

        @Option(help: "The embedded store: memory or sqlite.")
        var store: Store = .memory

        @Option(help: "How many callbacks run at once (distributed: per worker process).")
        var concurrency: Int = 32

        @Option(help: "Distributed mode: worker processes to start.")
        var workers: Int = 2

        @Flag(help: "Print the results as JSON.")
        var json = false

        func validate() throws {
            guard workload.lowercased() == "all" || Workload(rawValue: workload.uppercased()) != nil else {
                throw ValidationError("--workload must be W1, W2, W3, W4 or all, got `\(workload)`")
            }
            guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
            guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            let workloads = workload.lowercased() == "all" ? Workload.allCases : [Workload(rawValue: workload.uppercased())!]
            var results: [BenchmarkResult] = []
            for workload in workloads {
                printer.line("running \(workload.rawValue) (\(workload.summary)) in \(mode.rawValue) mode …", style: .dim)
                results.append(try await run(workload, printer: printer))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                print(BenchmarkTable.render(results))
            }
        }

        private func run(_ workload: Workload, printer: ProgressPrinter) async throws -> BenchmarkResult {
            switch mode {
            case .embedded:
                let storeChoice: EmbeddedBenchmark.StoreChoice = switch store {
                case .memory: .memory
                case .sqlite: .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("lazyrabbit-bench-\(getpid()).sqlite").path)
                }
                return try await EmbeddedBenchmark(concurrency: concurrency, store: storeChoice).run(workload)
            case .distributed:
                let benchmark = DistributedBenchmark(
                    workers: workers, workerConcurrency: concurrency, executable: try LazyRabbit.executablePath(),
                    log: { printer.line($0, style: .dim) })
                return try await benchmark.run(workload)
            }
        }
    }
}
