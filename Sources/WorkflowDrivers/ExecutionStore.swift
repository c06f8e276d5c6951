public import WorkflowProtocol

/// Where executions and their transition history are kept. Implementations: ``InMemoryExecutionStore``
/// (tests, benchmarks), SQLite (embedded mode), PostgreSQL (distributed mode); all pass one conformance suite.
///
/// Writes are optimistic: ``commit(_:)`` names the sequence number it expects to find, so two
/// writers that raced on the same execution cannot both win, and a repeated commit is recognised.
public protocol ExecutionStore: Sendable {
    /// Stores a new execution with its first transitions and, in the same transaction, `outbox`.
    ///
    /// - Throws: ``StoreError/duplicateExecution(_:)`` when the id exists,
    ///   ``StoreError/duplicateIdempotencyKey(existingID:)`` when the owner already used the record's
    ///   idempotency key, ``StoreError/outboxUnsupported`` from a store without an outbox.
    func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws

    /// Applies one step of an execution atomically: the new snapshot, its transitions and the
    /// `outbox` messages it caused, or nothing. A duplicate commit stages no message again.
    ///
    /// `withdrawn` names messages that earlier steps staged and this one makes moot (the timers it
    /// cancelled): when the step applies, those not yet published are deleted in the same
    /// transaction; one already being published is left alone (its consumer finds nothing to do).
    /// Never name a message that `outbox` stages.
    ///
    /// Runs on the caller's executor until it suspends (`nonisolated(nonsending)`): the
    /// coordinator commits without hopping off its actor and back for every step. Implementations
    /// must not block; they hand the work to their own thread or connection and suspend.
    nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult

    /// One execution, or `nil`.
    func execution(id: String) async throws -> ExecutionRecord?

    /// The execution `owner` started with `idempotencyKey`, or `nil`.
    func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord?

    /// The transitions of an execution with a sequence number above `afterSequence`, in order.
    func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord]

    /// One page of the executions `query` selects, newest first.
    func executions(matching query: ExecutionQuery) async throws -> ExecutionPage

    /// Counts `childID` into the tree of child workflows `parentID` belongs to — the tree of its
    /// root, which is `parentID` itself when it is nobody's child — unless that tree already
    /// holds `limit` children. Admitting a child again (its start handled twice) answers `true`
    /// and counts nothing. Bounds the executions one root can start through children of children.
    ///
    /// - Returns: `false` when the tree is full; nothing is recorded then.
    func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool

    /// How many of `owner`'s executions (children included) have not finished, counting no
    /// further than `limit`. For the running-executions quota.
    func unfinishedCount(owner: String, limit: Int) async throws -> Int
}

extension ExecutionStore {
    /// Stores a new execution with its first transitions and no outbox message.
    public func create(_ execution: ExecutionRecord, transitions: [TransitionRecord]) async throws {
        try await create(execution, transitions: transitions, outbox: [])
    }

    /// Applies one step that withdraws no outbox message.
    public nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage]) async throws -> CommitResult {
        try await commit(update, outbox: outbox, withdrawing: [])
    }

    /// Applies one step that stages and withdraws no outbox message.
    public nonisolated(nonsending) func commit(_ update: ExecutionUpdate) async throws -> CommitResult {
        try await commit(update, outbox: [], withdrawing: [])
    }

    /// Up to `limit` executions, newest first, optionally only those in `statuses`.
    public func executions(statuses: Set<ExecutionStatus>?, limit: Int) async throws -> [ExecutionRecord] {
        try await executions(matching: ExecutionQuery(statuses: statuses, limit: limit)).executions
    }
}

/// What ``ExecutionStore/commit(_:)`` did.
public enum CommitResult: Sendable, Equatable {
    /// The update was written.
    case applied
    /// This exact update was written before (its last sequence number is already stored): nothing changed.
    case duplicate
}
