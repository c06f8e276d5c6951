public import WorkflowJSON
public import WorkflowProtocol

/// A message a coordinator writes to its own outbox for itself (topic ``localTopic``): the relay
/// hands these to ``LocalMessageHandler`` instead of the broker. That makes timers, child starts
/// and child completions as durable as task dispatches: written in the step's transaction, carried
/// out at least once by whichever replica's relay claims the row, applied idempotently.
public enum CoordinatorMessage: Sendable, Codable, Equatable {
    /// A timer of the engine is due (the row waits in the outbox until then).
    case timerFired(executionID: String, timerID: String)
    /// A `workflow:` callback: start the child (its id follows from the parent task, so twice is once).
    case startChild(parentID: String, parentTaskID: String, owner: String?, workflow: String, input: JSONValue)
    /// A child finished: report its outcome to the parent's task.
    case childFinished(parentID: String, parentTaskID: String, outcome: TaskOutcome)

    /// The outbox topic of messages the coordinator handles itself.
    public static let localTopic = "lazyrabbit.local"

    /// The execution whose transaction the message belongs to (the outbox row's `execution_id`).
    public var executionID: String {
        switch self {
        case .timerFired(let executionID, _): executionID
        case .startChild(let parentID, _, _, _, _): parentID
        case .childFinished(let parentID, _, _): parentID
        }
    }
}
