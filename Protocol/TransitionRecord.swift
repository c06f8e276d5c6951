public import Foundation
public import WorkflowJSON

/// One recorded transition: the audit trail of an execution, numbered without gaps.
public struct TransitionRecord: Sendable, Codable, Equatable {
    public var executionID: String
    /// 1, 2, 3, ... per execution; unique, so a transition can never be stored twice.
    public var sequence: Int
    /// The thread (top level `main`, or a branch/iteration path) the transition happened in.
    public var thread: String
    public var fromState: String?
    public var toState: String?
    /// `started`, `state_entered`, `state_completed`, `state_failed`, `retry_scheduled`, `choice_made`, `completed`, ...
    public var kind: String
    public var at: Date
    /// Type-specific facts: durations, attempt, error, decision and its explanation.
    public var details: JSONValue

    public init(executionID: String, sequence: Int, thread: String, fromState: String?, toState: String?, kind: String, at: Date, details: JSONValue = .emptyObject) {
        self.executionID = executionID
        self.sequence = sequence
        self.thread = thread
        self.fromState = fromState
        self.toState = toState
        self.kind = kind
        self.at = at
        self.details = details
    }
}
