public import Foundation
public import WorkflowJSON
public import WorkflowProtocol

/// Where executions and their transition history are kept. Implementations: ``InMemoryExecutionStore``
/// (tests, benchmarks), SQLite (embedded mode), PostgreSQL (distributed mode); all pass one conformance suite.
///
/// Writes are optimistic: ``commit(_:)`` names the sequence number it expects to find, so two
/// writers that raced on the same execution cannot both win, and a repeated commit is recognised.
public protocol ExecutionStore: Sendable {
    /// Stores a new execution with its first transitions. Creating an id that exists throws ``StoreError/duplicateExecution(_:)``.
    func create(_ execution: ExecutionRecord, transitions: [TransitionRecord]) async throws

    /// Applies one step of an execution atomically: the new snapshot and its transitions, or nothing.
    func commit(_ update: ExecutionUpdate) async throws -> CommitResult

    /// One execution, or `nil`.
    func execution(id: String) async throws -> ExecutionRecord?

    /// The transitions of an execution with a sequence number above `afterSequence`, in order.
    func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord]

    /// Executions, newest first, optionally only those in `statuses`.
    func executions(statuses: Set<ExecutionStatus>?, limit: Int) async throws -> [ExecutionRecord]
}

/// What ``ExecutionStore/commit(_:)`` did.
public enum CommitResult: Sendable, Equatable {
    /// The update was written.
    case applied
    /// This exact update was written before (its last sequence number is already stored): nothing changed.
    case duplicate
}

/// Why a store refused a write.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateExecution(String)
    case executionNotFound(String)
    /// The stored sequence number is not the one the writer expected: someone else moved the execution.
    case conflict(executionID: String, expected: Int, found: Int)
    /// The writer's lock was taken over since: its fencing token is older than one already accepted.
    case staleFencingToken(executionID: String, token: Int64, current: Int64)
    /// The backend failed; the message says how.
    case backend(String)

    public var description: String {
        switch self {
        case .duplicateExecution(let id): "execution \(id) already exists"
        case .executionNotFound(let id): "no execution \(id)"
        case .conflict(let id, let expected, let found): "execution \(id) is at sequence \(found), not \(expected): another writer moved it"
        case .staleFencingToken(let id, let token, let current): "execution \(id): fencing token \(token) is stale (\(current) was accepted): the lock was lost"
        case .backend(let message): message
        }
    }
}

/// One execution as stored.
public struct ExecutionRecord: Sendable, Codable, Equatable {
    public var id: String
    public var workflowName: String
    /// The definition's source text, so an execution can resume without the original file.
    public var definitionSource: String
    public var status: ExecutionStatus
    /// The number of the last transition applied (0 before the first).
    public var sequence: Int
    /// The engine's snapshot of the execution (opaque to the store).
    public var snapshot: Data
    public var input: JSONValue
    /// The final context, once terminal.
    public var output: JSONValue?
    /// The error, once failed.
    public var error: JSONValue?
    /// The parent execution, for child workflows.
    public var parentID: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, workflowName: String, definitionSource: String, status: ExecutionStatus, sequence: Int, snapshot: Data,
        input: JSONValue, output: JSONValue? = nil, error: JSONValue? = nil, parentID: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.workflowName = workflowName
        self.definitionSource = definitionSource
        self.status = status
        self.sequence = sequence
        self.snapshot = snapshot
        self.input = input
        self.output = output
        self.error = error
        self.parentID = parentID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One step of an execution to write atomically.
public struct ExecutionUpdate: Sendable, Equatable {
    public var executionID: String
    /// The sequence number the writer read; the write fails if the store holds another.
    public var expectedSequence: Int
    public var status: ExecutionStatus
    public var snapshot: Data
    /// New transitions, numbered `expectedSequence + 1 ...` contiguously.
    public var transitions: [TransitionRecord]
    public var output: JSONValue?
    public var error: JSONValue?
    public var updatedAt: Date
    /// The fencing token of the lock under which the writer worked, if any. A store refuses a write
    /// whose token is lower than one it already accepted for the execution (``StoreError/staleFencingToken(executionID:token:current:)``).
    public var fencingToken: Int64?

    public init(executionID: String, expectedSequence: Int, status: ExecutionStatus, snapshot: Data, transitions: [TransitionRecord], output: JSONValue? = nil, error: JSONValue? = nil, updatedAt: Date, fencingToken: Int64? = nil) {
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
