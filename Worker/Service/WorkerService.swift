import Foundation
public import RabbitMQDriver
public import RedisDriver
import Synchronization
import WorkflowDSL
import WorkflowDrivers
import WorkflowProtocol

/// A distributed worker: consumes state tasks from RabbitMQ, runs each under the Redis lock named
/// by its task id, publishes a ``TaskReport`` with publisher confirms and acknowledges the task
/// only after the report is confirmed (docs/protocol.md, "Rules a worker follows").
///
/// ```swift
/// let service = WorkerService(configuration: WorkerConfiguration(taskQueues: ["default"]),
///                             runner: runner, redis: try RedisPool(url: ServerSettings.redisURL))
/// try await service.run()   // until cancelled or drain() is called, then drains gracefully
/// ```
///
/// Graceful drain: cancelling the task running ``run()`` (or calling ``drain()``) stops intake,
/// lets in-flight tasks finish within ``WorkerConfiguration/drainGracePeriod``, gives back (nack
/// with requeue) whatever is left, closes the consumers (basic.cancel first) and removes the
/// heartbeat, and then `run()` returns.
///
/// Control messages (docs/protocol.md, "Control message"): each service consumes its own
/// exclusive queue on the control exchange. `cancel_task` stops that task's callback if it runs
/// here and acks its delivery without a report; `drain` starts the graceful drain.
public final class WorkerService: Sendable {
    /// How the service runs.
    public let configuration: WorkerConfiguration
    let runner: TaskRunner
    let amqp: AMQPConfiguration
    let redis: RedisPool
    /// Large tasks and outcomes, by reference (under the Redis key prefix).
    let payloads: RedisPayloadStore
    let log: @Sendable (String) -> Void
    let startedAt = Date()
    let state = Mutex(State())
    /// Deliveries from every consumer, taken lane by lane in turn; finished when the drain starts.
    let intake = LaneIntake<Intake>()

    /// The mutable part, guarded by ``state``; no side effect runs while it is held.
    struct State {
        var counters = WorkerCounters()
        var started = false
        var drainDeadline: ContinuousClock.Instant?
        var stashed: [Intake] = []
        var failure: (any Error)?
        /// The callbacks running now, by task id, so that a control message can cancel one.
        var running: [String: Task<TaskOutcome, Never>] = [:]
        /// Task ids cancelled by control messages, remembered so a redelivered copy is not run.
        var cancelled = RecentTaskIDs(capacity: 10_000)
    }

    /// One delivery and the index of the task queue lane (its consumer) it came from.
    struct Intake: Sendable {
        var lane: Int
        var delivery: Delivery
    }

    /// A service that runs tasks with `runner`, talks to the broker described by `amqp` and keeps
    /// locks and heartbeats in `redis`; `log` receives one line per notable event.
    public init(
        configuration: WorkerConfiguration, runner: TaskRunner, amqp: AMQPConfiguration = .fromEnvironment(),
        redis: RedisPool, log: @escaping @Sendable (String) -> Void = WorkerService.logToStandardError
    ) {
        self.configuration = configuration
        self.runner = runner
        self.amqp = amqp
        self.redis = redis
        payloads = RedisPayloadStore(pool: redis, keyPrefix: configuration.redisKeyPrefix)
        self.log = log
    }

    /// The default log: one line on standard error.
    public static let logToStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// What the service has done so far.
    public var counters: WorkerCounters { state.withLock { $0.counters } }

    /// Callbacks running right now (at most ``WorkerConfiguration/concurrency``).
    public var runningCallbacks: Int { state.withLock { $0.running.count } }

    /// Whether a drain has started.
    public var isDraining: Bool { state.withLock { $0.drainDeadline != nil } }

    /// Runs until cancelled or drained, then drains gracefully and returns.
    ///
    /// - Throws: ``WorkerServiceError`` (`alreadyStarted`), an `AMQPError` or `RedisError` if the
    ///   topology cannot be declared or a consumer fails for good.
    public func run() async throws {
        try state.withLock { state throws(WorkerServiceError) in
            guard !state.started else { throw WorkerServiceError(.alreadyStarted, context: configuration.workerID) }
            state.started = true
        }
        // An unstructured task on purpose: it shields the in-flight tasks from run()'s
        // cancellation, which instead starts the graceful drain.
        let work = Task { try await self.serve() }
        try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            self.drain()
        }
    }

    /// Starts the graceful drain (idempotent, callable from any thread): no new task starts;
    /// in-flight tasks have ``WorkerConfiguration/drainGracePeriod`` to finish.
    public func drain() {
        let first = state.withLock { state in
            guard state.drainDeadline == nil else { return false }
            state.drainDeadline = .now + configuration.drainGracePeriod
            return true
        }
        guard first else { return }
        log("worker \(configuration.workerID): draining")
        intake.finish()
    }

    /// Declares the topology, connects, consumes and dispatches until drained, then cleans up.
    private func serve() async throws {
        for queue in configuration.taskQueues {
            if let problem = TaskQueueName.problem(consuming: queue) { throw WorkerServiceError(.invalidTaskQueue, context: "\(queue.debugDescription): \(problem)") }
        }
        let topology = configuration.topology
        let declarer = try await AMQPConnection.connect(amqp)
        do {
            try await topology.declare(on: declarer, taskQueues: configuration.taskQueues, deliveryLimit: configuration.deliveryLimit)
            await declarer.close()
        } catch {
            await declarer.close()
            throw error
        }
        let publisher = try await AMQPPublisher.connect(amqp)
        var lanes: [ConsumedLane] = []
        let control: AMQPConsumer
        do {
            for queue in configuration.taskQueues {
                for lane in 0..<WorkerTopology.laneCount(of: queue) {
                    let consumer = try await AMQPConsumer.connect(amqp, queue: topology.taskQueue(queue, lane: lane), prefetch: configuration.prefetch)
                    lanes.append(ConsumedLane(consumer: consumer, routingKey: WorkerTopology.taskRoutingKey(queue, lane: lane)))
                }
            }
            control = try await AMQPConsumer.connect(
                amqp, exclusiveQueue: topology.controlQueue(workerID: configuration.workerID), boundTo: topology.controlExchange)
        } catch {
            for lane in lanes { await lane.consumer.close() }
            await publisher.close()
            throw error
        }
        let consumers = lanes.map(\.consumer)
        log("worker \(configuration.workerID): consuming \(consumers.map(\.queue).joined(separator: ", "))")
        let registry = WorkerRegistry(pool: redis, staleAfter: max(.seconds(30), configuration.heartbeatInterval * 3),
                                      keyPrefix: configuration.redisKeyPrefix)
        let locks = RedisLockService(pool: redis, keyPrefix: configuration.redisKeyPrefix)
        let context = TaskContext(
            publisher: publisher, reports: ReportPublisher(publisher: publisher, topology: topology, maxReports: configuration.reportBatchSize), lanes: lanes, locks: locks,
            watchdog: LockWatchdog(locks: locks))
        await withTaskGroup(of: Void.self) { background in
            for (index, consumer) in consumers.enumerated() {
                background.addTask { await self.pump(consumer, index: index) }
            }
            background.addTask { await self.beat(into: registry) }
            background.addTask { await self.listen(to: control) }
            let leftovers = await dispatch(context) + state.withLock { $0.stashed }
            for item in leftovers { try? await consumers[item.lane].nack(item.delivery, requeue: true) }
            if !leftovers.isEmpty { log("worker \(configuration.workerID): gave back \(leftovers.count) task(s) not started") }
            for consumer in consumers { await consumer.close() }
            await control.close()
            background.cancelAll()
        }
        do {
            try await registry.remove(configuration.workerID)
        } catch {
            log("worker \(configuration.workerID): could not remove the heartbeat: \(error)")
        }
        await publisher.close()
        log("worker \(configuration.workerID): drained")
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }
}
