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

        @Option(help: "How many callbacks run at once.")
        var concurrency: Int = 32

        @Flag(help: "Print the results as JSON.")
        var json = false

        func validate() throws {
            guard workload.lowercased() == "all" || Workload(rawValue: workload.uppercased()) != nil else {
                throw ValidationError("--workload must be W1, W2, W3, W4 or all, got `\(workload)`")
            }
            guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            guard mode == .embedded else {
                printer.problem("--mode distributed needs the distributed coordinator and workers, which are not built yet (issue 4)")
                throw ExitCodes.invalid
            }
            let workloads = workload.lowercased() == "all" ? Workload.allCases : [Workload(rawValue: workload.uppercased())!]
            let storeChoice: EmbeddedBenchmark.StoreChoice = switch store {
            case .memory: .memory
            case .sqlite: .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("lazyrabbit-bench-\(getpid()).sqlite").path)
            }
            let benchmark = EmbeddedBenchmark(concurrency: concurrency, store: storeChoice)
            var results: [BenchmarkResult] = []
            for workload in workloads {
                printer.line("running \(workload.rawValue) (\(workload.summary)) …", style: .dim)
                results.append(try await benchmark.run(workload))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                print(BenchmarkTable.render(results))
            }
        }
    }
}
