public import WorkflowDrivers

/// One step to commit with ``PostgresExecutionStore/commitBatch(_:)-([ExecutionCommit])``: the
/// update and the messages to queue in the outbox if (and only if) it applies.
public struct ExecutionCommit: Sendable, Equatable {
    /// The step.
    public var update: ExecutionUpdate
    /// Messages written in the same transaction when the update applies.
    public var outbox: [OutboxMessage]

    /// Creates a commit.
    public init(_ update: ExecutionUpdate, outbox: [OutboxMessage] = []) {
        self.update = update
        self.outbox = outbox
    }
}
