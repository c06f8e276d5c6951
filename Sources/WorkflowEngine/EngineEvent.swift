public import WorkflowJSON
public import WorkflowProtocol

/// Something that happened to an execution. The engine turns each into transitions and effects.
public enum EngineEvent: Sendable, Codable, Equatable {
    /// A worker reported the outcome of a task.
    case taskCompleted(taskID: String, outcome: TaskOutcome)
    /// A timer the engine asked for is due.
    case timerFired(timerID: String)
    /// An external signal arrived (for `wait: { signal: NAME }` states).
    case signal(name: String, payload: JSONValue)
    /// A person decided an approval. `state` narrows it to one approval state when several wait.
    case approval(state: String?, approved: Bool, by: String?, comment: String?)
    /// An operator or client cancelled the execution.
    case cancel(reason: String?)
    /// An operator paused the execution: tasks already running finish and are recorded, but no
    /// new task is dispatched until ``resume(by:)``; timers keep counting.
    case pause(by: String?)
    /// An operator resumed a paused execution: the tasks held while paused are dispatched.
    case resume(by: String?)
}
