public import WorkflowDrivers

/// One step to commit with ``PostgresExecutionStore/commitBatch(_:)-([ExecutionCommit])``: the
/// update, and the outbox changes made in the same transaction if (and only if) it applies.
public struct ExecutionCommit: Sendable, Equatable {
    /// The step.
    public var update: ExecutionUpdate
    /// Messages written in the same transaction when the update applies.
    public var outbox: [OutboxMessage]
    /// Ids of messages earlier steps wrote that are deleted, if still unpublished, when the update
    /// applies (``ExecutionStore/commit(_:outbox:withdrawing:)``).
    public var withdrawn: [String]

    /// Creates a commit.
    public init(_ update: ExecutionUpdate, outbox: [OutboxMessage] = [], withdrawn: [String] = []) {
        self.update = update
        self.outbox = outbox
        self.withdrawn = withdrawn
    }
}
