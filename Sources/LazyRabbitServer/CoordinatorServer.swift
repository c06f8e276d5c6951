import AccessControl
public import CoordinatorAPI
public import CoordinatorService
import Foundation
import Hummingbird
import Intelligence
import LazyRabbitCoordinator
public import Logging
import PostgresDriver
import RabbitMQDriver
import RedisDriver
import ServiceLifecycle
import UnixSignals
import WorkflowEngine
import WorkflowDrivers

/// The `lazyrabbit coordinator` process: the REST API and WebSocket stream over the distributed
/// coordinator (PostgreSQL, RabbitMQ, Redis) and the workflow scheduler, as one service group that
/// shuts down gracefully on SIGTERM/SIGINT — the API stops first, then the scheduler (giving its
/// lease up), then the relay and the report applier.
public enum CoordinatorServer {
    /// Builds every part from `configuration` and the environment and runs until a signal.
    ///
    /// - Parameter redisURL: Redis, for rate limits shared by every replica, large payloads and readiness.
    public static func run(
        configuration: CoordinatorConfiguration, api: APIConfiguration, redisURL: String, logger: Logger
    ) async throws {
        let metrics = MetricsRegistry()
        let notifier = TransitionNotifier()
        let reports = metrics.counter("lazyrabbit_reports_applied_total", help: "Worker reports applied by this coordinator.")
        let steps = metrics.counter("lazyrabbit_steps_committed_total", help: "Execution steps committed by this coordinator.")
        var hooks = DistributedCoordinator.Hooks()
        hooks.onStep = { instance in
            steps.increment()
            notifier.notify(executionID: instance.id)
        }
        hooks.onReportApplied = { _ in reports.increment() }
        let llmUsage = LLMUsageMetrics(registry: metrics, prices: try LLMPrices.fromEnvironment())
        hooks.onTransitions = { llmUsage.record($0) }
        let purged = metrics.counter("lazyrabbit_outbox_rows_purged_total", help: "Published outbox rows deleted by this coordinator's retention passes.")
        hooks.onOutboxPurged = { rows in purged.increment(by: Double(rows)) }
        let redis = try RedisPool(url: redisURL)
        // Large tasks and outcomes travel by reference, under the workers' default key prefix `lr:`.
        let coordinator = try await DistributedCoordinator.connect(
            configuration, workflows: { PostgresWorkflowRepository(pool: $0) }, hooks: hooks,
            payloads: RedisPayloadStore(pool: redis), log: { line in logger.warning("\(line)") })
        let authenticator = Authenticator(
            verifier: try JWTVerifier(configuration: .fromEnvironment()), tokens: PostgresAPITokenStore(pool: coordinator.pool))
        let limiter = RedisRequestRateLimiter(RedisRateLimiter(
            pool: redis, policy: RedisRateLimiter.Policy(capacity: api.rateLimit.capacity, refillPerSecond: api.rateLimit.refillPerSecond)))
        let app = buildCoordinatorApplication(
            configuration: api, controlPlane: coordinator.controlPlane, authenticator: authenticator, rateLimiter: limiter,
            readiness: readinessChecks(pool: coordinator.pool, amqp: configuration.amqp, redis: redis),
            metrics: metrics, streamNotifier: notifier,
            drafter: try WorkflowDrafter.fromEnvironment(options: coordinator.controlPlane.validation), llmUsage: llmUsage, logger: logger)
        // Every replica runs a scheduler; the holder of the Redis lease fires the ticks (docs/scheduler.md).
        let scheduler = WorkflowScheduler(
            controlPlane: coordinator.controlPlane, lease: RedisLockService(pool: redis), ticks: PostgresScheduleTickStore(pool: coordinator.pool),
            log: { line in logger.info("\(line)") })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: GracefulLoop { try await coordinator.run() }), .init(service: GracefulLoop { await scheduler.run() }),
                    .init(service: app),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("coordinator listening", metadata: ["lr.port": "\(api.server.port)", "lr.queues": "\(configuration.queueNamePrefix)"])
        try await group.run()
    }

    /// `/readyz`: each server answers a trivial request.
    static func readinessChecks(pool: PostgresPool, amqp: AMQPConfiguration, redis: RedisPool) -> [String: @Sendable () async throws -> Void] {
        [
            "postgres": { _ = try await pool.withConnection { try await $0.query("SELECT 1") } },
            "rabbitmq": {
                let connection = try await AMQPConnection.connect(amqp)
                await connection.close()
            },
            "redis": { _ = try await redis.command(["PING"]) },
        ]
    }
}
