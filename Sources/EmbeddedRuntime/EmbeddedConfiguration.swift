public import Intelligence
import LazyRabbitCoordinator
public import LazyRabbitWorker
public import WorkflowDSL
public import WorkflowProtocol

/// Settings of the embedded runtime.
public struct EmbeddedConfiguration: Sendable {
    /// How many callbacks run at once (default 32).
    public var workerConcurrency: Int
    /// Handlers that `handler` callbacks can call (default: the built-ins).
    public var handlers: HandlerRegistry
    /// Where `http` callbacks may go.
    public var addressPolicy: AddressPolicy
    public var secrets: SecretProvider
    /// Workflows that `workflow` callbacks can start, by name.
    public var catalog: WorkflowCatalog
    /// Receives `log` callbacks' messages.
    public var logSink: @Sendable (StateTask, LogCallback.Level, String) -> Void
    /// How many child executions one root may have, at every depth together (default 10 000).
    public var childExecutionLimit = ChildWorkflow.defaultTreeLimit
    /// Runs `llm` callbacks and `ai:` questions; none by default (a question then goes unanswered).
    /// `try LLMCallRunner.fromEnvironment()` gives the model `LAZYRABBIT_LLM_URL` names.
    public var llm: LLMCallRunner?

    public init(
        workerConcurrency: Int = 32, handlers: HandlerRegistry = .builtins, addressPolicy: AddressPolicy = .init(),
        secrets: SecretProvider = .environment, catalog: WorkflowCatalog = .init(),
        logSink: @escaping @Sendable (StateTask, LogCallback.Level, String) -> Void = { _, _, _ in }
    ) {
        self.workerConcurrency = workerConcurrency
        self.handlers = handlers
        self.addressPolicy = addressPolicy
        self.secrets = secrets
        self.catalog = catalog
        self.logSink = logSink
    }
}
