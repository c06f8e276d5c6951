public import WorkflowDrivers

/// The answer to starting an execution.
public struct StartedExecution: Sendable, Equatable {
    /// The execution.
    public var record: ExecutionRecord
    /// `false` when the idempotency key had been used: `record` is the execution it started then.
    public var created: Bool

    public init(record: ExecutionRecord, created: Bool) {
        self.record = record
        self.created = created
    }
}
