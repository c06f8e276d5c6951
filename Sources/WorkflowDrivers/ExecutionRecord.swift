public import Foundation
public import WorkflowJSON
public import WorkflowProtocol

/// One execution as stored. Dates are kept to the millisecond by every store (cursors compare them).
public struct ExecutionRecord: Sendable, Codable, Equatable {
    public var id: String
    public var workflowName: String
    /// The definition's source text, so an execution can resume without the original file.
    public var definitionSource: String
    public var status: ExecutionStatus
    /// The number of the last transition applied (0 before the first).
    public var sequence: Int
    /// The engine's snapshot of the execution (opaque to the store).
    public var snapshot: ExecutionSnapshot
    public var input: JSONValue
    /// The final context, once terminal.
    public var output: JSONValue?
    /// The error, once failed.
    public var error: JSONValue?
    /// The parent execution, for child workflows.
    public var parentID: String?
    /// The parent's task this child execution answers, for child workflows.
    public var parentTaskID: String?
    /// The user who started it (`nil` for runs outside the API, such as `lazyrabbit run`).
    public var owner: String?
    /// The stored workflow and version it runs, when started from the workflow registry.
    public var workflowID: String?
    public var workflowVersion: Int?
    /// The client's `Idempotency-Key`: unique per owner.
    public var idempotencyKey: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, workflowName: String, definitionSource: String, status: ExecutionStatus, sequence: Int, snapshot: ExecutionSnapshot,
        input: JSONValue, output: JSONValue? = nil, error: JSONValue? = nil, parentID: String? = nil, parentTaskID: String? = nil,
        owner: String? = nil, workflowID: String? = nil, workflowVersion: Int? = nil, idempotencyKey: String? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.parentTaskID = parentTaskID
        self.owner = owner
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.idempotencyKey = idempotencyKey
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

extension ExecutionRecord {
    /// `date` as every store keeps it: rounded to the millisecond, the precision of ``ExecutionCursor``
    /// (a store that kept more could order two executions of one millisecond differently from their cursors).
    public static func storedDate(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
