import EmbeddedRuntime
import Foundation
import LazyRabbitWorker
import LocalServers
import Synchronization
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol
import SQLiteDriver

/// Runs the workloads on the embedded runtime in this process.
public struct EmbeddedBenchmark: Sendable {
    /// Where executions are stored during the run.
    public enum StoreChoice: Sendable {
        case memory
        /// A fresh SQLite file at this path (removed first).
        case sqlite(path: String)

        var name: String {
            switch self {
            case .memory: "memory"
            case .sqlite: "sqlite"
            }
        }
    }

    public var concurrency: Int
    public var store: StoreChoice

    public init(concurrency: Int = 32, store: StoreChoice = .memory) {
        self.concurrency = concurrency
        self.store = store
    }

    /// Runs one workload and returns its figures.
    public func run(_ workload: Workload) async throws -> BenchmarkResult {
        let clock = StepClock()
        let records = Atomic<Int>(0)
        var configuration = EmbeddedConfiguration(workerConcurrency: concurrency, addressPolicy: AddressPolicy(allowList: ["127.0.0.1"]))
        configuration.handlers.register(WorkloadDefinitions.stepHandler) { input, context in
            let start = StepClock.now()
            let step = Int(input["step"]?.doubleValue ?? 0)
            clock.record(executionID: context.executionID, step: step, start: start, end: StepClock.now())
            return .null
        }
        let plan = try WorkloadPlan(workload, stepHandler: WorkloadDefinitions.stepHandler)
        let executionStore = try makeStore()
        let before = ProcessUsage.current()
        let started = ContinuousClock.now
        try await EmbeddedRuntime.withRuntime(
            configuration: configuration, store: executionStore, transport: CurlTransport(),
            observer: { _, transitions in records.add(transitions.count, ordering: .relaxed) }
        ) { runtime in
            for round in plan.rounds {
                var ids: [String] = []
                ids.reserveCapacity(round)
                for _ in 0..<round {
                    ids.append(try await runtime.start(plan.definition, source: plan.source, input: .emptyObject))
                }
                for id in ids {
                    let final = await runtime.completion(of: id)
                    guard final.status == .completed else {
                        throw BenchmarkError.executionFailed("execution \(id) ended \(final.status.rawValue): \(final.error?.message ?? "")")
                    }
                }
            }
        }
        let wall = (ContinuousClock.now - started) / .seconds(1)
        let after = ProcessUsage.current()
        let gaps = clock.gapsMilliseconds()
        var result = BenchmarkResult(
            workload: workload, mode: "embedded", store: store.name, workerConcurrency: concurrency,
            executions: plan.rounds.reduce(0, +), steps: plan.rounds.reduce(0, +) * plan.stepsPerExecution,
            transitionRecords: records.load(ordering: .relaxed), wallSeconds: wall,
            overheadP50: BenchmarkResult.percentile(gaps, 0.50), overheadP95: BenchmarkResult.percentile(gaps, 0.95),
            overheadP99: BenchmarkResult.percentile(gaps, 0.99), idealWallSeconds: nil, effectiveConcurrency: nil,
            cpuSeconds: after.cpuSeconds - before.cpuSeconds, peakRSSMiB: after.peakRSSMiB)
        if let callSeconds = plan.callSeconds {
            let busy = Double(result.steps) * callSeconds
            result.idealWallSeconds = busy / Double(concurrency)
            result.effectiveConcurrency = busy / wall
        }
        plan.server?.stop()
        return result
    }

    private func makeStore() throws -> any ExecutionStore {
        switch store {
        case .memory:
            return InMemoryExecutionStore()
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return try SQLiteExecutionStore(path: path)
        }
    }
}
