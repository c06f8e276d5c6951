public import Foundation
public import WorkflowJSON
public import WorkflowProtocol

/// Everything the engine knows about one execution: a value the engine transforms and a store persists.
///
/// The instance alone is enough to resume after a crash: running tasks and pending timers are part
/// of it, so ``WorkflowEngine/recover(_:)`` can re-issue them.
public struct ExecutionInstance: Sendable, Codable, Equatable {
    public var id: String
    public var workflowName: String
    public var status: ExecutionStatus
    /// The input, after schema defaults were applied.
    public var input: JSONValue
    /// The number of the last transition applied.
    public var sequence: Int
    public var startedAt: Date
    public var finishedAt: Date?
    /// Live threads of control by id: `main`, and one per running parallel branch or map iteration.
    public var threads: [String: ExecutionThread]
    /// Join bookkeeping of parallel and map states, keyed by the id of the thread that owns the state.
    public var fanOuts: [String: FanOut]
    /// Tasks dispatched and not yet reported, by task id (re-dispatched as they are after a restart).
    public var pendingTasks: [String: StateTask]
    /// Timers that have not fired, by id.
    public var timers: [String: Date]
    /// How often each state was entered, keyed `thread|state` (loop bounds).
    public var visits: [String: Int]
    /// Signals that arrived before anything waited for them, oldest first.
    public var bufferedSignals: [String: [JSONValue]]
    /// The final context once completed.
    public var output: JSONValue?
    /// The error once failed or timed out.
    public var error: TaskFailure?
    /// Paused by an operator (`nil` in snapshots written before pausing existed).
    public var paused: Bool?
    /// Task ids whose dispatch waits for the execution to be resumed.
    public var heldTasks: [String]?

    /// The main thread's context: the execution's context.
    public var context: JSONValue { threads[ExecutionThread.mainID]?.context ?? output ?? .emptyObject }
}

/// One thread of control: the top level of the workflow, a parallel branch or a map iteration.
public struct ExecutionThread: Sendable, Codable, Equatable {
    /// The id of the top-level thread.
    public static let mainID = "main"

    public var id: String
    /// The thread that owns the parallel or map state this thread runs under.
    public var parentID: String?
    /// This thread's slot in its parent's fan-out (branch number or item index).
    public var slot: Int
    /// The current state.
    public var state: String
    public var phase: ThreadPhase
    /// 1-based attempt of the current state.
    public var attempt: Int
    /// When the current state was entered.
    public var enteredAt: Date
    /// The context this thread reads and writes (branches start from a copy of their parent's).
    public var context: JSONValue
    /// The current element and its position, inside a map iteration.
    public var item: JSONValue?
    public var index: Int?
    /// The result of the last completed state: a branch's result when it ends.
    public var lastResult: JSONValue
}

/// What a thread is doing in its current state.
public enum ThreadPhase: Sendable, Codable, Equatable {
    /// A callback was dispatched; its report names `taskID`.
    case running(taskID: String)
    /// A `choice` state asked the question of its `ai` rule at `rule` in the task `taskID`.
    /// (A phase of its own, not `running`: a coordinator that predates it cannot read the
    /// snapshot, rather than take the answer for the choice's result.)
    case asking(taskID: String, rule: Int)
    /// Waiting out a retry backoff.
    case retrying(timerID: String)
    /// A `wait` state with a duration or a deadline.
    case sleeping(timerID: String)
    /// A `wait` state for an external signal.
    case awaitingSignal(name: String, timerID: String?)
    /// An `approval` state.
    case awaitingApproval(timerID: String?)
    /// A parallel or map state whose children run.
    case joining

    /// The task the thread waits for, running or asking.
    var taskID: String? {
        switch self {
        case .running(let taskID), .asking(let taskID, _): taskID
        default: nil
        }
    }
}

/// The join bookkeeping of one parallel or map state.
public struct FanOut: Sendable, Codable, Equatable {
    /// The state being joined.
    public var state: String
    /// One slot per branch or item; filled as children finish.
    public var results: [JSONValue?]
    /// Map only: the items, and how many may run at once.
    public var items: [JSONValue]?
    public var maxConcurrency: Int
    /// Slots started so far (map starts them in order as capacity frees up).
    public var started: Int
    /// Slots with a result so far (`nil` in snapshots written before it was kept: counted then).
    public var finished: Int? = nil

    /// Slots with a result, from ``finished`` or, in an older snapshot, by counting.
    var finishedCount: Int { finished ?? results.lazy.filter { $0 != nil }.count }

    /// Keeps a child's result in its slot (a slot filled twice counts once).
    mutating func record(_ result: JSONValue, at slot: Int) {
        let count = finishedCount + (results[slot] == nil ? 1 : 0)
        results[slot] = result
        finished = count
    }
}
