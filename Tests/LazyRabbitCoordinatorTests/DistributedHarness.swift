import CoordinatorService
import DriverSupport
import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import PostgresDriver
import RabbitMQDriver
import RedisDriver
import Synchronization
import WorkflowDSL
import WorkflowDrivers
import WorkflowProtocol

/// A coordinator and `workers` worker services in this process, on a scratch PostgreSQL database,
/// `lrtest.<uuid>` RabbitMQ names and `lrtest:<uuid>:` Redis keys; everything is removed afterwards.
struct DistributedHarness {
    let plane: ControlPlane
    let store: PostgresExecutionStore
    let pool: PostgresPool
    let workers: [WorkerService]
    /// The payload store the coordinator and the workers share (Redis, `lrtest:<uuid>:payload:`).
    let payloads: RedisPayloadStore
    let redis: RedisPool
    /// The workers' Redis key prefix (`lrtest:<uuid>:`).
    let redisKeyPrefix: String
    /// The broker, and the `lrtest.<uuid>` names on it.
    let amqp: AMQPConfiguration
    let topology: WorkerTopology
    /// The task id of every report the coordinator applied and acked, in order (a report applied
    /// again after a redelivery appears again).
    var appliedReports: [String] { applied.all }
    private let applied: CollectedStrings

    /// Runs `body` against a fresh cluster whose coordinator `configure` may adjust first.
    static func with(
        workers count: Int, configure: (inout CoordinatorConfiguration) -> Void = { _ in }, _ body: (DistributedHarness) async throws -> Void
    ) async throws {
        let tag = UUID().uuidString.prefix(8).lowercased()
        var configuration = try CoordinatorConfiguration()
        configure(&configuration)
        configuration.queueNamePrefix = "lrtest.\(tag)"
        let amqp = configuration.amqp
        let redis = try RedisPool(url: ServerSettings.redisURL)
        try await PostgresScratchDatabase.with(configuration: configuration.database, migrate: false) { scratch in
            configuration.database = scratch.configuration
            let payloads = RedisPayloadStore(pool: redis, keyPrefix: "lrtest:\(tag):")
            let applied = CollectedStrings()
            var hooks = DistributedCoordinator.Hooks()
            hooks.onReportApplied = { applied.append($0.taskID) }
            let coordinator = try await DistributedCoordinator.connect(
                configuration, workflows: { PostgresWorkflowRepository(pool: $0) }, hooks: hooks, payloads: payloads, log: { _ in })
            let workers = (0..<count).map { index in
                WorkerService(
                    configuration: WorkerConfiguration(
                        workerID: "w\(index)-\(tag)", concurrency: 8, lockTTL: .seconds(5), drainGracePeriod: .seconds(2),
                        queueNamePrefix: configuration.queueNamePrefix, redisKeyPrefix: "lrtest:\(tag):"),
                    runner: TaskRunner(http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy(allowList: ["127.0.0.1"]))), amqp: amqp, redis: redis, log: { _ in })
            }
            let running = Task {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await coordinator.run() }
                    for worker in workers { group.addTask { try await worker.run() } }
                }
            }
            let harness = DistributedHarness(
                plane: coordinator.controlPlane, store: PostgresExecutionStore(pool: scratch), pool: scratch, workers: workers,
                payloads: payloads, redis: redis, redisKeyPrefix: "lrtest:\(tag):", amqp: amqp, topology: configuration.topology, applied: applied)
            let outcome: Result<Void, any Error>
            do {
                try await body(harness)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            running.cancel()
            _ = await running.result
            let keys = (try? await redis.command(["KEYS", "lrtest:\(tag):*"]).elements?.compactMap(\.text)) ?? []
            if !keys.isEmpty { _ = try? await redis.command(["DEL"] + keys) }
            let admin = try await AMQPConnection.connect(amqp)
            try? await configuration.topology.delete(on: admin, taskQueues: ["default"])
            await admin.close()
            try outcome.get()
        }
    }

    /// Polls until the execution is terminal; throws after `timeout`.
    func waitForTerminal(_ id: String, timeout: Duration) async throws -> ExecutionRecord {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let record = try await store.execution(id: id), record.status.isTerminal { return record }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessTimeout(what: "execution \(id) to finish")
    }

    /// Polls `condition` every 50 ms for up to `timeout`; whether it became true.
    func eventually(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Outbox rows not yet published or carried out.
    func unpublishedOutboxRows() async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").first?.decode(at: 0, as: Int.self) ?? 0
        }
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Strings gathered from several tasks at once (task ids, log lines).
final class CollectedStrings: Sendable {
    private let ids = Mutex<[String]>([])
    func append(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}
