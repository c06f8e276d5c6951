import Foundation
import LazyRabbitWorker
import RabbitMQDriver
import RedisDriver
import Synchronization
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// A worker on the real servers under names no other test uses (`lrtest.<uuid>` exchanges and
/// queues, `lrtest:<uuid>:` Redis keys), with a broker connection to publish tasks and read reports.
/// ``withWorker(_:_:)`` starts it and always deletes what it created.
struct WorkerHarness {
    let queue = "q"
    let configuration: WorkerConfiguration
    let service: WorkerService
    let admin: AMQPConnection
    let publisher: AMQPPublisher
    let pool: RedisPool
    let amqp = AMQPConfiguration.fromEnvironment()
    let logs: LogLines

    var topology: WorkerTopology { configuration.topology }

    /// A task for this worker's queue.
    func task(_ callback: Callback, id: String = UUID().uuidString, timeout: Int64 = 5000) -> StateTask {
        StateTask(executionID: "exec-\(id)", taskID: "exec-\(id)/main/s/1#1", state: "s", attempt: 1,
                  callback: callback, timeoutMilliseconds: timeout, queue: queue)
    }

    /// Publishes raw bodies to the task exchange (confirmed).
    func publish(bodies: [[UInt8]]) async throws {
        let messages = bodies.enumerated().map { index, body in
            OutgoingMessage(exchange: topology.taskExchange, routingKey: queue, body: body, messageID: "t-\(index)",
                            headers: ["lr-type": "state_task", "lr-version": 1])
        }
        let results = try await publisher.publish(messages)
        precondition(results.allSatisfy(\.isConfirmed), "the broker did not confirm the test's tasks")
    }

    /// Publishes `tasks` to the task exchange.
    func publish(_ tasks: StateTask...) async throws {
        try await publish(bodies: try tasks.map { Array(try JSONEncoder().encode($0)) })
    }

    /// Publishes `message` to the control exchange (confirmed).
    func publish(control message: ControlMessage) async throws {
        let outgoing = OutgoingMessage(
            exchange: topology.controlExchange, routingKey: "", body: Array(try JSONEncoder().encode(message)),
            messageID: "control-\(UUID().uuidString)", headers: ["lr-type": "control", "lr-version": 1])
        let result = try await publisher.publish(outgoing)
        precondition(result.isConfirmed, "the broker did not confirm the test's control message")
    }

    /// Reads reports until `count` arrived or `timeout` passed (acking them).
    func reports(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [TaskReport] {
        let consumer = try await AMQPConsumer.connect(amqp, queue: topology.reportQueue, prefetch: 50)
        let collected = Collected()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var iterator = consumer.deliveries.makeAsyncIterator()
                while await collected.count < count, let delivery = try? await iterator.next() {
                    for report in ReportMessage.decode(delivery.body, type: delivery.headers["lr-type"]?.stringValue)?.reports ?? [] {
                        await collected.append(report)
                    }
                    try? await consumer.ack(delivery)
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        await consumer.close()
        return await collected.reports
    }

    /// Ready messages in `queue`.
    func messages(in queue: String) async throws -> Int {
        try await admin.stats(ofQueue: queue).messages
    }

    /// Polls `condition` every 50 ms for up to `timeout`; whether it became true.
    func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

/// The worker's log lines, for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Reports gathered by a reading task.
actor Collected {
    var reports: [TaskReport] = []
    var count: Int { reports.count }
    func append(_ report: TaskReport) { reports.append(report) }
}

/// Declares a fresh topology, starts a worker on it, runs `body` with the harness and the task
/// running the worker, then stops the worker and deletes the queues, exchanges and Redis keys.
func withWorker(
    _ configure: (inout WorkerConfiguration) -> Void = { _ in },
    _ body: (WorkerHarness, Task<Void, any Error>) async throws -> Void
) async throws {
    let unique = UUID().uuidString.prefix(8).lowercased()
    var configuration = WorkerConfiguration(
        workerID: "test-worker-\(unique)", taskQueues: ["q"], heartbeatInterval: .milliseconds(200),
        drainGracePeriod: .seconds(5), queueNamePrefix: "lrtest.\(unique)", redisKeyPrefix: "lrtest:\(unique):",
        busyRetryDelay: .milliseconds(500))
    configure(&configuration)
    let amqp = AMQPConfiguration.fromEnvironment()
    let pool = try RedisPool(url: ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_URL"] ?? "redis://127.0.0.1:6379/0", size: 4)
    let runner = TaskRunner(http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy()))
    let logs = LogLines()
    let service = WorkerService(configuration: configuration, runner: runner, amqp: amqp, redis: pool, log: logs.append)
    let admin = try await AMQPConnection.connect(amqp)
    let publisher = try await AMQPPublisher.connect(amqp)
    let harness = WorkerHarness(configuration: configuration, service: service, admin: admin, publisher: publisher, pool: pool, logs: logs)
    try await configuration.topology.declare(on: admin, taskQueues: configuration.taskQueues, deliveryLimit: configuration.deliveryLimit)
    let running = Task { try await service.run() }
    do {
        try await body(harness, running)
    } catch {
        running.cancel()
        _ = await running.result
        try? await cleanUp(harness)
        throw error
    }
    running.cancel()
    _ = await running.result
    try await cleanUp(harness)
}

private func cleanUp(_ harness: WorkerHarness) async throws {
    try await harness.topology.delete(on: harness.admin, taskQueues: harness.configuration.taskQueues)
    for queue in harness.configuration.taskQueues {  // the delay queue of busyRetryDelay (500 ms → the 512 ms bucket)
        try? await harness.admin.deleteQueue("\(harness.topology.taskExchange).\(queue).delay.512ms")
    }
    await harness.admin.close()
    await harness.publisher.close()
    let keys = try await harness.pool.command(["KEYS", harness.configuration.redisKeyPrefix + "*"]).elements?.compactMap(\.text) ?? []
    if !keys.isEmpty { _ = try await harness.pool.command(["DEL"] + keys) }
}
