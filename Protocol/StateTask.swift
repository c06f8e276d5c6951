import WorkflowJSON
public import WorkflowDSL

/// A unit of work sent to a worker: run one state's callback, once.
///
/// The callback's templates are already rendered against the execution's context, except
/// `${secret.NAME}` references, which the worker substitutes at call time.
public struct StateTask: Sendable, Codable, Equatable {
    /// The highest message schema version this build reads: 2, a ``TaskStub`` (by reference).
    public static let currentVersion = 2
    /// The version of a task sent whole, which is what this build writes unless the task is
    /// stored by reference; older workers keep taking these.
    public static let inlineVersion = 1

    /// Schema version of this message.
    public var version: Int
    /// The execution the task belongs to.
    public var executionID: String
    /// Unique per dispatch (`execution/thread/state#attempt`); a report for another id changes nothing.
    public var taskID: String
    /// The state whose callback runs.
    public var state: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// What to run.
    public var callback: Callback
    /// How long the attempt may take; the worker cancels the callback after it.
    public var timeoutMilliseconds: Int64?
    /// The task queue (`default` unless a handler names another).
    public var queue: String

    private enum CodingKeys: String, CodingKey {
        case version, executionID = "execution_id", taskID = "task_id", state, attempt, callback
        case timeoutMilliseconds = "timeout_ms", queue
    }

    public init(executionID: String, taskID: String, state: String, attempt: Int, callback: Callback, timeoutMilliseconds: Int64?, queue: String = "default") {
        self.version = Self.inlineVersion
        self.executionID = executionID
        self.taskID = taskID
        self.state = state
        self.attempt = attempt
        self.callback = callback
        self.timeoutMilliseconds = timeoutMilliseconds
        self.queue = queue
    }

    /// The stub sent instead of this task once its JSON is stored under `reference`.
    public func stub(reference: String) -> TaskStub {
        TaskStub(executionID: executionID, taskID: taskID, state: state, attempt: attempt, queue: queue, payloadRef: reference)
    }
}
