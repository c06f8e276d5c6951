/// Where an execution comes from: who started it, from which stored workflow, under which
/// idempotency key, and for child workflows the parent task it answers. Everything is optional:
/// `lazyrabbit run` starts executions with no origin at all.
public struct ExecutionOrigin: Sendable, Equatable {
    /// The user who started it.
    public var owner: String?
    /// The stored workflow and version it runs.
    public var workflowID: String?
    public var workflowVersion: Int?
    /// The client's `Idempotency-Key`.
    public var idempotencyKey: String?
    /// For a child workflow: the parent execution and the parent's task.
    public var parentID: String?
    public var parentTaskID: String?

    /// An origin; every field defaults to `nil`.
    public init(
        owner: String? = nil, workflowID: String? = nil, workflowVersion: Int? = nil, idempotencyKey: String? = nil,
        parentID: String? = nil, parentTaskID: String? = nil
    ) {
        self.owner = owner
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.idempotencyKey = idempotencyKey
        self.parentID = parentID
        self.parentTaskID = parentTaskID
    }
}
