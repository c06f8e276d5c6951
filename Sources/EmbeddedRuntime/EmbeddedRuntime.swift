import Foundation
public import LazyRabbitCoordinator
public import LazyRabbitWorker
public import WorkflowDSL
public import WorkflowDrivers
public import WorkflowEngine
public import WorkflowJSON
public import WorkflowProtocol

/// The whole engine in one process: the coordinator over a local store, an in-process queue
/// instead of RabbitMQ, in-process locks instead of Redis, a worker pool and a timer loop.
///
/// Use it through ``withRuntime(configuration:store:transport:observer:_:)``, which runs the
/// pool and the timers for as long as the body runs:
///
/// ```swift
/// let final = try await EmbeddedRuntime.withRuntime(store: store, transport: CurlTransport()) { runtime in
///     try await runtime.run(definition, source: text, input: ["email": "a@b.c"])
/// }
/// ```
public final class EmbeddedRuntime: Sendable {
    /// The coordinator, for signals, approvals and cancellation.
    public let coordinator: ExecutionCoordinator
    private let effects: EmbeddedEffects
    private let queue: JobQueue
    private let timers: TimerService
    private let pool: WorkerPool
    private let store: any ExecutionStore

    private init(
        configuration: EmbeddedConfiguration, store: any ExecutionStore, transport: any HTTPTransport,
        observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)?
    ) {
        let queue = JobQueue()
        let timers = TimerService { executionID, timerID in
            queue.publish(.event(executionID: executionID, .timerFired(timerID: timerID)))
        }
        let effects = EmbeddedEffects(queue: queue, timers: timers)
        let coordinator = ExecutionCoordinator(store: store, performer: effects, observer: observer)
        let runner = TaskRunner(
            handlers: configuration.handlers,
            http: HTTPCallbackRunner(transport: transport, policy: configuration.addressPolicy),
            secrets: configuration.secrets, llm: configuration.llm, logSink: configuration.logSink)
        self.store = store
        self.queue = queue
        self.timers = timers
        self.effects = effects
        self.coordinator = coordinator
        self.pool = WorkerPool(
            queue: queue, runner: runner, coordinator: coordinator, store: store, effects: effects, locks: InMemoryLockService(),
            catalog: configuration.catalog, childExecutionLimit: configuration.childExecutionLimit, concurrency: max(1, configuration.workerConcurrency),
            onError: { message in FileHandle.standardError.write(Data("lazyrabbit: \(message)\n".utf8)) })
    }

    /// Runs `body` with a live runtime; the worker pool and timers stop when it returns.
    ///
    /// - Parameter observer: called after each stored step with the new instance and its
    ///   transitions; steps of different executions may call it concurrently.
    public static func withRuntime<Result: Sendable>(
        configuration: EmbeddedConfiguration = .init(), store: any ExecutionStore, transport: any HTTPTransport,
        observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)? = nil,
        _ body: (EmbeddedRuntime) async throws -> Result
    ) async throws -> Result {
        let runtime = EmbeddedRuntime(configuration: configuration, store: store, transport: transport, observer: observer)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await runtime.pool.run() }
            group.addTask { await runtime.timers.run() }
            defer {
                runtime.queue.close()
                group.cancelAll()
            }
            return try await body(runtime)
        }
    }

    /// Starts an execution and waits until it is terminal.
    public func run(
        _ definition: WorkflowDefinition, source: String, input: JSONValue, executionID: String? = nil
    ) async throws -> ExecutionInstance {
        let id = try await start(definition, source: source, input: input, executionID: executionID)
        return await completion(of: id)
    }

    /// Starts an execution and returns its id at once; ``completion(of:)`` waits for its end.
    public func start(_ definition: WorkflowDefinition, source: String, input: JSONValue, executionID: String? = nil) async throws -> String {
        let id = executionID ?? ExecutionCoordinator.newExecutionID()
        effects.expect(id)
        _ = try await coordinator.start(definition: definition, source: source, input: input, executionID: id)
        return id
    }

    /// Puts a stored execution back in motion (after a crash or Ctrl-C) and waits until it is terminal.
    public func resume(_ executionID: String) async throws -> ExecutionInstance {
        effects.expect(executionID)
        try await coordinator.resume(executionID)
        let instance = try await coordinator.instance(executionID)
        if instance.status.isTerminal {
            effects.finished(instance)
        }
        return await completion(of: executionID)
    }

    /// Puts every stored execution that has not finished back in motion (after the process
    /// restarted) without waiting for them; answers how many.
    @discardableResult
    public func resumeUnfinished() async throws -> Int {
        let unfinished = Set(ExecutionStatus.allCases.filter { !$0.isTerminal })
        var query = ExecutionQuery(statuses: unfinished, limit: 500)
        var resumed = 0
        while true {
            let page = try await store.executions(matching: query)
            for record in page.executions {
                try await coordinator.resume(record.id)
                resumed += 1
            }
            guard let next = page.nextCursor else { return resumed }
            query.cursor = next
        }
    }

    /// Waits until the execution is terminal. Call ``start(_:source:input:executionID:)`` or ``resume(_:)`` first.
    public func completion(of executionID: String) async -> ExecutionInstance {
        await effects.completion(of: executionID)
    }
}
