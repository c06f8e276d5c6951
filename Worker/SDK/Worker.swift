import Dispatch
import DriverSupport
import Intelligence
public import Foundation
public import RabbitMQDriver
import RedisDriver
public import WorkflowDSL

/// The Swift SDK for writing your own worker: register handlers by name, pick task queues, run.
/// `handler` callbacks in workflows name what you register; the worker takes them from RabbitMQ,
/// runs them under a Redis lock, reports the outcome and drains gracefully on SIGTERM/SIGINT —
/// the same service as `lazyrabbit worker` (docs/protocol.md).
///
/// ```swift
/// import LazyRabbitWorker
///
/// var worker = Worker(queues: ["billing"])
/// worker.register("send_invoice") { input, context in
///     guard let order = input["order_id"] else { throw HandlerError("invalid_input", "order_id is missing") }
///     return ["invoice": .string("INV-\(order)"), "attempt": .integer(context.attempt)]
/// }
/// try await worker.run()   // until SIGTERM or SIGINT
/// ```
///
/// Handlers must be idempotent per ``HandlerContext/taskID``: a task can run again after a worker
/// dies mid-way (at-least-once); the coordinator applies only one outcome.
public struct Worker: Sendable {
    /// How the service consumes, locks and drains (queues, concurrency, prefetch, lock TTL, ...).
    public var configuration: WorkerConfiguration
    /// The handlers, starting with the built-ins (`echo`, `uuid`, `sum`, ...).
    public var handlers: HandlerRegistry = .builtins
    /// Hosts `http` callbacks may reach even if private or loopback (also `LAZYRABBIT_ALLOWED_HOSTS`).
    public var allowedHosts: [String] = []
    /// RabbitMQ. Default: `LAZYRABBIT_AMQP_URL`.
    public var amqp: AMQPConfiguration = .fromEnvironment()
    /// Redis. Default: `LAZYRABBIT_REDIS_URL`.
    public var redisURL: String = ServerSettings.redisURL
    /// Where the service's log lines go. Default: standard error.
    public var log: @Sendable (String) -> Void = WorkerService.logToStandardError

    /// A worker for `queues` with the default configuration otherwise; the queue name prefix
    /// comes from `LAZYRABBIT_QUEUE_PREFIX` when set (it must match the coordinator's).
    public init(queues: [String] = ["default"]) {
        configuration = WorkerConfiguration(taskQueues: queues)
        if let prefix = ProcessInfo.processInfo.environment["LAZYRABBIT_QUEUE_PREFIX"], !prefix.isEmpty {
            configuration.queueNamePrefix = prefix
        }
    }

    /// A worker with a full configuration.
    public init(configuration: WorkerConfiguration) {
        self.configuration = configuration
    }

    /// Registers `handler` for `handler` callbacks named `name` (replacing a built-in of that name).
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        handlers.register(name, handler)
    }

    /// Runs until SIGTERM or SIGINT (or the task is cancelled), then drains: no new task starts,
    /// in-flight ones get ``WorkerConfiguration/drainGracePeriod`` to finish, the rest go back to the queue.
    public func run() async throws {
        // Each task makes a few Redis round trips (report marker, lock); one connection per two task slots keeps them from queueing.
        let redis = try RedisPool(url: redisURL, size: max(4, configuration.concurrency / 2))
        let runner = TaskRunner(
            handlers: handlers,
            http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy(allowList: allowedHosts + ServerSettings.allowedHostsFromEnvironment)),
            llm: try LLMCallRunner.fromEnvironment(shared: RedisAnswerStore(pool: redis, keyPrefix: configuration.redisKeyPrefix)))
        let service = WorkerService(configuration: configuration, runner: runner, amqp: amqp, redis: redis, log: log)
        let work = Task { try await service.run() }
        let sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { work.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            work.cancel()
        }
    }
}
