public import Foundation
public import WorkflowJSON
public import WorkflowProtocol

/// One step of an execution to write atomically.
public struct ExecutionUpdate: Sendable, Equatable {
    public var executionID: String
    /// The sequence number the writer read; the write fails if the store holds another.
    public var expectedSequence: Int
    public var status: ExecutionStatus
    public var snapshot: ExecutionSnapshot
    /// New transitions, numbered `expectedSequence + 1 ...` contiguously.
    public var transitions: [TransitionRecord]
    public var output: JSONValue?
    public var error: JSONValue?
    public var updatedAt: Date
    /// The fencing token of the lock under which the writer worked, if any. A store refuses a write
    /// whose token is lower than one it already accepted for the execution (``StoreError/staleFencingToken(executionID:token:current:)``).
    public var fencingToken: Int64?

    public init(executionID: String, expectedSequence: Int, status: ExecutionStatus, snapshot: ExecutionSnapshot, transitions: [TransitionRecord], output: JSONValue? = nil, error: JSONValue? = nil, updatedAt: Date, fencingToken: Int64? = nil) {
        self.fencingToken = fencingToken
        self.executionID = executionID
        self.expectedSequence = expectedSequence
        self.status = status
        self.snapshot = snapshot
        self.transitions = transitions
        self.output = output
        self.error = error
        self.updatedAt = updatedAt
    }

    /// The sequence number after this update.
    public var newSequence: Int { expectedSequence + transitions.count }
}
