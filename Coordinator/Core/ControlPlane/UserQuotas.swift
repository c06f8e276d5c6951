/// How much one user may keep in the workflow registry and have running; past a quota the control
/// plane refuses with ``ControlPlaneError/Code/quotaExceeded`` (or
/// ``ControlPlaneError/Code/tooManyUnfinished``). Quotas are counted before storing, so requests of
/// one user racing each other can pass one by as many as race (the API's rate limit bounds that).
///
/// ```swift
/// let plane = ControlPlane(coordinator: coordinator, store: store, workflows: repository,
///                          quotas: UserQuotas(workflows: 100, scheduledWorkflows: 10))
/// ```
public struct UserQuotas: Sendable, Equatable {
    /// Live (not deleted) workflows per user. Default 10 000.
    public var workflows: Int
    /// Live workflows per user whose latest version declares a `schedule`. Default 500: every one
    /// is looked at by the scheduler on every pass.
    public var scheduledWorkflows: Int
    /// Executions per user that have not finished (children included) when a new one starts —
    /// over the API, by a schedule or as a retry; children are bounded per tree instead
    /// (``ChildWorkflow``). Refused with ``ControlPlaneError/Code/tooManyUnfinished`` (429).
    /// Default 10 000. Counted as ``UnfinishedExecutionTally`` says: soft across replicas.
    public var unfinishedExecutions: Int

    public init(workflows: Int = 10_000, scheduledWorkflows: Int = 500, unfinishedExecutions: Int = 10_000) {
        self.workflows = workflows
        self.scheduledWorkflows = scheduledWorkflows
        self.unfinishedExecutions = unfinishedExecutions
    }
}
