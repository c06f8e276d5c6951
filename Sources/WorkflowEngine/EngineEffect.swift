public import Foundation
public import WorkflowProtocol

/// Work the engine asks its shell to do. The engine itself never performs I/O.
public enum EngineEffect: Sendable, Equatable {
    /// Send a task to a worker (or, for `workflow` callbacks, start a child execution).
    case dispatch(StateTask)
    /// Deliver ``EngineEvent/timerFired(timerID:)`` at `fireAt` (again after a restart, until cancelled).
    case scheduleTimer(id: String, fireAt: Date)
    /// Forget the timer `id`, which was set to fire at `fireAt`: its firing, should it still come,
    /// changes nothing (the instance no longer holds the timer).
    case cancelTimer(id: String, fireAt: Date)
    /// Stop a running task; its late report will be ignored.
    case cancelTask(taskID: String)
    /// The execution reached a terminal status.
    case finished(ExecutionStatus)
}

/// The outcome of one engine call: the new instance, what to record, and what to do.
public struct EngineStep: Sendable {
    public var instance: ExecutionInstance
    /// New transitions, numbered contiguously after the previous instance's sequence.
    public var transitions: [TransitionRecord]
    public var effects: [EngineEffect]

    /// `true` when the event changed nothing (a duplicate or late report): nothing needs storing.
    public var isNoOp: Bool { transitions.isEmpty && effects.isEmpty }
}
