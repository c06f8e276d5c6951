import AccessControl
public import CoordinatorAPI
import CoordinatorService
import CurlDriver
import EmbeddedRuntime
import Foundation
import Hummingbird
import Intelligence
public import LazyRabbitCoordinator
public import Logging
import LazyRabbitWorker
import ServiceLifecycle
import SQLiteDriver
import UnixSignals
public import WorkflowDSL
import WorkflowDrivers

/// `lazyrabbit dev`: the REST API, the WebSocket stream and a worker pool in one process on the
/// embedded backends — one SQLite file for executions, workflows and API tokens, in-process queue,
/// locks and timers — like `temporal server start-dev`. No server is needed, and a restart picks
/// unfinished executions up where they were. Scheduled workflows fire here too: the scheduler is
/// the only one in the process, so its lease is in-process, and its bookkeeping is in the SQLite
/// file, so a restart catches up on the ticks it slept through.
public enum DevServer {
    /// Settings of a dev server.
    public struct Configuration: Sendable {
        /// The SQLite file (created if missing). Default `.lazyrabbit/dev.sqlite`.
        public var databasePath = ".lazyrabbit/dev.sqlite"
        /// The HTTP API.
        public var api = APIConfiguration()
        /// Callbacks run at once. Default 32.
        public var workerConcurrency = 32
        /// Hosts `http` callbacks may reach although private or loopback.
        public var allowedHosts: [String] = []
        /// How many child executions one execution may have, at every depth together. Default 10 000.
        public var childExecutionLimit = ChildWorkflow.defaultTreeLimit
        /// How many workflows, and scheduled workflows, each user may keep.
        public var quotas = UserQuotas()
        /// Limits every submitted workflow must pass (the address policy comes from ``allowedHosts``).
        public var limits = ValidationLimits()

        public init() {}

        /// Where the admin token of this database is kept (readable by the owner only).
        public var tokenPath: String { databasePath + ".token" }
    }

    /// Opens the database, resumes unfinished executions and serves until SIGTERM/SIGINT.
    ///
    /// - Parameter announce: receives the lines a person needs (URL, token) once the server is up.
    public static func run(_ configuration: Configuration, logger: Logger, announce: @escaping @Sendable (String) -> Void) async throws {
        let directory = (configuration.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let store = try SQLiteExecutionStore(path: configuration.databasePath)
        let workflows = try SQLiteWorkflowRepository(path: configuration.databasePath)
        let tokens = try SQLiteAPITokenStore(path: configuration.databasePath)
        let ticks = try SQLiteScheduleTickStore(path: configuration.databasePath)
        let token = try await adminToken(in: tokens, path: configuration.tokenPath)
        let policy = AddressPolicy(allowList: configuration.allowedHosts)
        var embedded = EmbeddedConfiguration(workerConcurrency: configuration.workerConcurrency, addressPolicy: policy)
        embedded.childExecutionLimit = configuration.childExecutionLimit
        embedded.llm = try LLMCallRunner.fromEnvironment()
        let validation = ValidationOptions(limits: configuration.limits, addressPolicy: policy, allowedModels: LLMConfiguration.allowedModels())
        embedded.catalog.fallback = { name, owner in
            guard let owner else { return nil }
            return try await ChildWorkflow.latest(named: name, ownedBy: owner, in: workflows, validation: validation)
        }
        let notifier = TransitionNotifier()
        let metrics = MetricsRegistry()
        let llmUsage = LLMUsageMetrics(registry: metrics, prices: try LLMPrices.fromEnvironment())
        try await EmbeddedRuntime.withRuntime(
            configuration: embedded, store: store, transport: CurlTransport(),
            observer: { _, transitions in
                notifier.committed(transitions)
                llmUsage.record(transitions)
            }
        ) { runtime in
            let resumed = try await runtime.resumeUnfinished()
            let plane = ControlPlane(
                coordinator: runtime.coordinator, store: store, workflows: workflows, validation: validation, quotas: configuration.quotas)
            let app = buildCoordinatorApplication(
                configuration: configuration.api, controlPlane: plane,
                authenticator: Authenticator(verifier: try JWTVerifier(configuration: .fromEnvironment()), tokens: tokens),
                rateLimiter: InMemoryRateLimiter(policy: configuration.api.rateLimit),
                readiness: ["sqlite": { _ = try await store.execution(id: "readiness-check") }],
                metrics: metrics, streamNotifier: notifier, drafter: try WorkflowDrafter.fromEnvironment(options: validation), llmUsage: llmUsage,
                logger: logger)
            announce("LazyRabbit dev server on http://127.0.0.1:\(configuration.api.server.port)  (data: \(configuration.databasePath))")
            if resumed > 0 { announce("resumed \(resumed) unfinished execution(s)") }
            announce("admin token (also in \(configuration.tokenPath)):\n\(token)")
            let scheduler = WorkflowScheduler(
                controlPlane: plane, lease: InMemoryLockService(), ticks: ticks, log: { line in logger.info("\(line)") })
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: GracefulLoop { await scheduler.run() }), .init(service: app)],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }

    /// The admin token of this database: created (and written to `path`, mode 0600) on first start.
    static func adminToken(in tokens: any APITokenStore, path: String) async throws -> String {
        if let saved = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           try await tokens.token(hash: APIToken.hash(saved)) != nil {
            return saved
        }
        let (plaintext, _) = try await APIToken.issue(owner: "dev", name: "lazyrabbit dev", role: .admin, in: tokens)
        _ = FileManager.default.createFile(atPath: path, contents: Data((plaintext + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return plaintext
    }
}
