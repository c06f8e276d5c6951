import CoordinatorService
import DriverSupport
import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import LocalServers
import PostgresDriver
import RabbitMQDriver
import RedisDriver
import WorkflowDSL
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Runs the workloads distributed: the coordinator (PostgreSQL store with outbox, relay, report
/// applier) in this process and `workers` `lazyrabbit worker` processes, every task through
/// RabbitMQ with confirms and every transition in PostgreSQL. Runs happen in a scratch database
/// and under their own queue names, both removed afterwards.
///
/// Executions are submitted through the ``ControlPlane`` (what the REST API calls), not over HTTP.
/// Step overhead comes from the reports' start and end times, which have millisecond resolution.
public struct DistributedBenchmark: Sendable {
    /// Worker processes.
    public var workers: Int
    /// Tasks each worker runs at once.
    public var workerConcurrency: Int
    /// The `lazyrabbit` binary the workers run.
    public var executable: String
    /// Progress lines (stderr).
    public var log: @Sendable (String) -> Void

    public init(workers: Int = 2, workerConcurrency: Int = 32, executable: String, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.workers = workers
        self.workerConcurrency = workerConcurrency
        self.executable = executable
        self.log = log
    }

    /// Runs one workload and returns its figures.
    public func run(_ workload: Workload) async throws -> BenchmarkResult {
        var configuration = try CoordinatorConfiguration()
        configuration.queueNamePrefix = "lrbench.\(UUID().uuidString.prefix(8).lowercased())"
        configuration.validation = ValidationOptions(addressPolicy: AddressPolicy(allowList: ["127.0.0.1"]))  // W4's local server
        return try await PostgresScratchDatabase.with(configuration: configuration.database, prefix: "lazyrabbit_bench_", migrate: false) { scratch in
            configuration.database = scratch.configuration
            return try await run(workload, configuration: configuration, pool: scratch)
        }
    }

    private func run(_ workload: Workload, configuration: CoordinatorConfiguration, pool: PostgresPool) async throws -> BenchmarkResult {
        let plan = try WorkloadPlan(workload, stepHandler: "echo")
        let tracker = CompletionTracker()
        let clock = StepClock()
        var hooks = DistributedCoordinator.Hooks()
        hooks.onStep = tracker.observe
        hooks.onReportApplied = { report in
            clock.record(executionID: report.executionID, step: 0, start: UInt64(report.startedAt) * 1_000_000, end: UInt64(report.finishedAt) * 1_000_000)
        }
        // The worker processes keep their Redis keys under the default prefix `lr:`.
        let payloads = RedisPayloadStore(pool: try RedisPool(url: ServerSettings.redisURL))
        let coordinator = try await DistributedCoordinator.connect(
            configuration, workflows: { PostgresWorkflowRepository(pool: $0) }, hooks: hooks, payloads: payloads, log: log)
        let processes = try startWorkers(prefix: configuration.queueNamePrefix)
        let service = Task { try await coordinator.run() }
        defer { service.cancel() }
        try await waitUntilConsuming(configuration)
        let owner = Requester(user: "bench")
        let (workflow, _) = try await coordinator.controlPlane.createWorkflow(source: plan.source, by: owner)
        let before = ProcessUsage.current()
        let started = ContinuousClock.now
        var submitted = 0
        for round in plan.rounds {
            try await submit(round, of: workflow.id, to: coordinator.controlPlane, as: owner)
            submitted += round
            try await tracker.wait(untilFinished: submitted)
        }
        let wall = (ContinuousClock.now - started) / .seconds(1)
        let after = ProcessUsage.current()
        var figures = [ProcessFigures(name: "coordinator", cpuSeconds: after.cpuSeconds - before.cpuSeconds, peakRSSMiB: after.peakRSSMiB)]
        for (index, process) in processes.enumerated() {
            let usage = process.usage()
            figures.append(ProcessFigures(name: "worker-\(index + 1)", cpuSeconds: usage?.cpuSeconds ?? 0, peakRSSMiB: usage?.peakRSSMiB ?? 0))
        }
        await stop(processes)
        service.cancel()
        _ = await service.result
        let records = try await pool.withConnection { connection in
            try await connection.query("SELECT count(*) FROM state_transitions").first?.decode(at: 0, as: Int.self) ?? 0
        }
        let admin = try await AMQPConnection.connect(configuration.amqp)
        try? await configuration.topology.delete(on: admin, taskQueues: ["default"])
        await admin.close()
        plan.server?.stop()

        let gaps = clock.gapsMilliseconds()
        var result = BenchmarkResult(
            workload: workload, mode: "distributed", store: "postgres", workerConcurrency: workers * workerConcurrency,
            executions: plan.executions, steps: plan.executions * plan.stepsPerExecution, transitionRecords: records, wallSeconds: wall,
            overheadP50: BenchmarkResult.percentile(gaps, 0.50), overheadP95: BenchmarkResult.percentile(gaps, 0.95),
            overheadP99: BenchmarkResult.percentile(gaps, 0.99), idealWallSeconds: nil, effectiveConcurrency: nil,
            cpuSeconds: figures.map(\.cpuSeconds).reduce(0, +), peakRSSMiB: figures.map(\.peakRSSMiB).max() ?? 0, processes: figures)
        if let callSeconds = plan.callSeconds {
            let busy = Double(result.steps) * callSeconds
            result.idealWallSeconds = busy / Double(workers * workerConcurrency)
            result.effectiveConcurrency = busy / wall
        }
        return result
    }

    /// Starts `count` executions, 32 submissions at a time.
    private func submit(_ count: Int, of workflowID: String, to plane: ControlPlane, as owner: Requester) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= 32 { try await group.next() }
                group.addTask { _ = try await plane.startExecution(workflowID: workflowID, input: .emptyObject, by: owner) }
            }
            try await group.waitForAll()
        }
    }

    private func startWorkers(prefix: String) throws -> [SpawnedProcess] {
        try (1...workers).map { index in
            let arguments = [
                executable, "worker", "--queue-name-prefix", prefix, "--concurrency", String(workerConcurrency),
                "--prefetch", String(workerConcurrency * 2), "--allow-host", "127.0.0.1", "--worker-id", "\(prefix)-\(index)",
            ]
            let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-worker-\(index).log").path
            log("starting worker \(index) (log: \(logPath))")
            return try SpawnedProcess.start(arguments, outputPath: logPath)
        }
    }

    /// Waits until every worker process consumes the task queue's last lane (workers consume the
    /// lanes in order), so the clock measures the workload and not the workers' start-up (process
    /// launch, connections, topology).
    private func waitUntilConsuming(_ configuration: CoordinatorConfiguration) async throws {
        let admin = try await AMQPConnection.connect(configuration.amqp)
        defer { Task { await admin.close() } }
        let queue = configuration.topology.taskQueue("default", lane: WorkerTopology.lanesPerQueue - 1)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let stats = try? await admin.stats(ofQueue: queue), stats.consumers >= workers { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchmarkError.workersNotReady("the \(workers) worker process(es) did not start consuming \(queue) within 30 s")
    }

    /// Drains the workers (SIGTERM) and waits for them.
    private func stop(_ processes: [SpawnedProcess]) async {
        for process in processes { process.signal(SIGTERM) }
        for process in processes { _ = await process.wait() }
    }
}
