/// One numbered, forward-only schema change. Shipped migrations are never edited: a change is a new one.
public struct PostgresMigration: Sendable, Equatable {
    /// The number: migrations apply in ascending order, each once.
    public let version: Int
    /// A short name (`initial`, `commit_function`).
    public let name: String
    /// The SQL, run as one script inside the migration's transaction.
    let sql: String

    /// Every migration, in order.
    public static let all: [PostgresMigration] = [
        .initial, .commitFunction, .userIDFunction, .coordinator, .schedules, .createFunction, .batchCommit, .leanHistory,
        .outboxRetention, .outboxWithdrawal, .childWorkflowTrees, .scheduledWorkflows, .aiDecisionColumns,
    ]
}
