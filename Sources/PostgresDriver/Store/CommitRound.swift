import Foundation
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The arguments of one `lr_commit_executions` call (migration 7), gathered commit by commit: one
/// element per commit in each array, each execution at most once.
struct CommitRound {
    /// Where each commit stands in the caller's list.
    private(set) var positions: [Int] = []
    private var ids: [String] = []
    private var expected: [Int] = []
    private var newSequences: [Int] = []
    private var statuses: [String] = []
    private var snapshots: [Data] = []
    private var outputs: [JSONValue] = []
    private var errors: [JSONValue] = []
    private var updatedAt: [Date] = []
    private var fencingTokens: [Int64?] = []
    private var transitions: [JSONValue] = []
    private var outbox: [JSONValue] = []
    private var currentStates: [String?] = []
    private var statesVisited: [JSONValue] = []
    private var startedAt: [Date?] = []

    /// Adds `commit`, whose snapshot encodes to `snapshot`.
    mutating func append(_ commit: ExecutionCommit, snapshot: Data, position: Int) {
        let update = commit.update
        positions.append(position)
        ids.append(update.executionID)
        expected.append(update.expectedSequence)
        newSequences.append(update.newSequence)
        statuses.append(update.status.rawValue)
        snapshots.append(snapshot)
        outputs.append(Self.nullable(update.output))
        errors.append(Self.nullable(update.error))
        updatedAt.append(update.updatedAt)
        fencingTokens.append(update.fencingToken)
        transitions.append(PostgresExecutionStore.json(update.transitions))
        outbox.append(PostgresExecutionStore.json(commit.outbox))
        currentStates.append(update.transitions.last { $0.thread == "main" && $0.toState != nil }?.toState)
        statesVisited.append(.array(update.transitions.filter { $0.kind == "state_entered" }.compactMap { $0.toState.map(JSONValue.string) }))
        startedAt.append(update.transitions.first?.at)
    }

    /// The call.
    var query: PostgresQuery {
        PostgresQuery(
            """
            SELECT outcome, observed FROM lr_commit_executions(
                \(bind: ids)::text[], \(bind: expected)::bigint[], \(bind: newSequences)::bigint[], \(bind: statuses)::text[],
                \(bind: snapshots)::bytea[], \(bind: JSONValue.array(outputs))::jsonb, \(bind: JSONValue.array(errors))::jsonb,
                \(bind: updatedAt)::timestamptz[], \(bind: fencingTokens)::bigint[], \(bind: JSONValue.array(transitions))::jsonb,
                \(bind: JSONValue.array(outbox))::jsonb, \(bind: currentStates)::text[], \(bind: JSONValue.array(statesVisited))::jsonb,
                \(bind: startedAt)::timestamptz[])
            """
        ).named("commit_executions")
    }

    /// `{"v": value}` for a value, JSON `null` for none: the function tells a stored JSON `null` from SQL `NULL`.
    private static func nullable(_ value: JSONValue?) -> JSONValue {
        value.map { ["v": $0] } ?? .null
    }
}
