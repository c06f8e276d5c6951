import Foundation
public import LazyRabbitCoordinator
public import PostgresDriver
import RabbitMQDriver
import WorkflowDSL
public import WorkflowDrivers
public import WorkflowEngine
public import WorkflowProtocol

/// The coordinator of distributed mode, minus HTTP: PostgreSQL as the store (every step, its
/// audit rows and its outbox rows in one transaction), the outbox relay publishing tasks to
/// RabbitMQ with confirms and carrying out timers and child workflows, and the transition
/// applier consuming worker reports. Several replicas can run against the same servers: the
/// relay claims rows with `SKIP LOCKED`, reports are shared by competing consumers, and a step
/// that loses a race to another replica is re-applied to what that replica stored.
///
/// ```swift
/// let coordinator = try await DistributedCoordinator.connect(try CoordinatorConfiguration(), workflows: repository)
/// let plane = coordinator.controlPlane          // what the REST API calls
/// try await coordinator.run()                   // relay + applier, until cancelled
/// ```
public final class DistributedCoordinator: Sendable {
    /// Hooks for observers (streams, metrics); each defaults to doing nothing. They are called
    /// from several tasks at once (steps of different executions run in parallel).
    public struct Hooks: Sendable {
        /// After each stored step.
        public var onStep: @Sendable (ExecutionInstance) -> Void = { _ in }
        /// After each stored step, with its transitions. Called inside the execution's shard, before
        /// the step's tasks are published: keep it quick (count, notify), never wait in it.
        public var onTransitions: @Sendable ([TransitionRecord]) -> Void = { _ in }
        /// After each report is applied.
        public var onReportApplied: @Sendable (TaskReport) -> Void = { _ in }
        /// After each pass of the outbox purger, with the number of published rows it deleted.
        public var onOutboxPurged: @Sendable (Int) -> Void = { _ in }

        public init() {}
    }

    /// The API's operations.
    public let controlPlane: ControlPlane
    /// The engine driver every event goes through.
    public let coordinator: ExecutionCoordinator
    /// The PostgreSQL pool (readiness checks, admin queries).
    public let pool: PostgresPool
    private let relay: OutboxRelay
    private let marker: OutboxMarker
    private let purger: OutboxPurger
    private let onOutboxPurged: @Sendable (Int) -> Void
    private let log: @Sendable (String) -> Void
    private let applier: ReportApplier
    private let publisher: AMQPPublisher
    private let declarer: AMQPConnection

    /// Migrates the database, connects to RabbitMQ, declares the topology (task queue `default`,
    /// reports, dead letters, control exchange) and builds the parts; ``run()`` starts them.
    ///
    /// - Parameter payloads: the payload store shared with the workers (a `RedisPayloadStore` with
    ///   their key prefix): tasks over ``CoordinatorConfiguration/payloadThreshold`` are sent by
    ///   reference and outcomes sent by reference are read from it. `nil` sends every task whole.
    public static func connect(
        _ configuration: CoordinatorConfiguration, workflows: @Sendable (PostgresPool) -> any WorkflowRepository, hooks: Hooks = Hooks(),
        payloads: (any PayloadStore)? = nil, log: @escaping @Sendable (String) -> Void
    ) async throws -> DistributedCoordinator {
        let pool = PostgresPool(configuration: configuration.database)
        _ = try await PostgresMigrator.migrate(pool)
        let declarer = try await AMQPConnection.connect(configuration.amqp)
        let queues = TaskQueueDeclarer(topology: configuration.topology, connection: declarer, deliveryLimit: configuration.deliveryLimit)
        try await queues.ensure(["default"])
        let publisher = try await AMQPPublisher.connect(configuration.amqp)
        return DistributedCoordinator(
            configuration: configuration, pool: pool, workflows: workflows(pool), queues: queues, publisher: publisher,
            declarer: declarer, hooks: hooks, payloads: payloads, log: log)
    }

    private init(
        configuration: CoordinatorConfiguration, pool: PostgresPool, workflows: any WorkflowRepository, queues: TaskQueueDeclarer,
        publisher: AMQPPublisher, declarer: AMQPConnection, hooks: Hooks, payloads: (any PayloadStore)?,
        log: @escaping @Sendable (String) -> Void
    ) {
        let store = PostgresExecutionStore(pool: pool)
        let wakeup = RelayWakeup()
        let marker = OutboxMarker(pool: pool)
        let broker = AMQPOutboxPublisher(publisher)
        let eager = EagerPublisher(broker: broker, queues: queues, marker: marker)
        let offload = payloads.map { PayloadOffload(store: $0, threshold: configuration.payloadThreshold) }
        // A child to start or to report (now), a timer (when it fires): not after the relay's idle wait.
        let effects = DistributedEffects(
            topology: configuration.topology, eager: eager, offload: offload, onLocalWork: { wakeup.wake(at: $0) }, onStep: hooks.onStep)
        let coordinator = ExecutionCoordinator(
            store: store, performer: effects, validation: configuration.validation, observer: { [onTransitions = hooks.onTransitions] _, records in
                onTransitions(records)
            })
        let validation = configuration.validation
        let local = LocalMessageHandler(
            coordinator: coordinator, store: store, childExecutionLimit: configuration.childExecutionLimit
        ) { name, owner in
            guard let owner else { return nil }
            return try await ChildWorkflow.latest(named: name, ownedBy: owner, in: workflows, validation: validation)
        }
        let router = OutboxRouter(local: local, broker: broker, queues: queues)
        self.pool = pool
        self.marker = marker
        purger = OutboxPurger(pool: pool, configuration: configuration.outboxPurge)
        onOutboxPurged = hooks.onOutboxPurged
        self.log = log
        self.coordinator = coordinator
        self.publisher = publisher
        self.declarer = declarer
        controlPlane = ControlPlane(
            coordinator: coordinator, store: store, workflows: workflows, validation: validation, quotas: configuration.quotas)
        relay = OutboxRelay(pool: pool, configuration: configuration.relay, wakeup: wakeup, publisher: router.publish)
        applier = ReportApplier(
            coordinator: coordinator, amqp: configuration.amqp, topology: configuration.topology, prefetch: configuration.reportPrefetch,
            payloads: payloads, log: log, onApplied: hooks.onReportApplied)
    }

    /// Runs the relay, the applier, the outbox marker and the outbox purger until cancelled, then
    /// closes the broker connections.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.relay.run() }
            group.addTask { try await self.applier.run() }
            group.addTask { await self.marker.run() }
            group.addTask {
                await self.purger.run(onPass: self.onOutboxPurged) { error in self.log("outbox purge failed (tried again in a minute): \(error)") }
            }
        }
        await publisher.close()
        await declarer.close()
    }
}
