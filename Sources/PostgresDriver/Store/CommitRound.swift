import Foundation
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The arguments of one `lr_commit_executions` call (migration 7), gathered commit by commit: one
/// element per commit in each array, each execution at most once. A round of one commit calls
/// `lr_commit_execution` (migration 2) instead, which is faster alone: 1 442 against 1 234 single
/// commits/s in `lazyrabbit bench infra --only postgres`, where batches of 100 went from 3 006 to
/// 9 242 transitions/s with the set-based function.
struct CommitRound {
    /// Where each commit stands in the caller's list.
    private(set) var positions: [Int] = []
    private var ids: [String] = []
    private var expected: [Int] = []
    private var newSequences: [Int] = []
    private var statuses: [String] = []
    private var snapshots: [Data] = []
    private var outputs: [JSONValue?] = []
    private var errors: [JSONValue?] = []
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
        outputs.append(update.output)
        errors.append(update.error)
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
        positions.count == 1 ? single : batch
    }

    private var single: PostgresQuery {
        PostgresQuery(
            """
            SELECT outcome, observed FROM lr_commit_execution(
                \(bind: ids[0])::text, \(bind: expected[0])::bigint, \(bind: newSequences[0])::bigint, \(bind: statuses[0])::text,
                \(bind: snapshots[0])::bytea, \(bind: outputs[0])::jsonb, \(bind: errors[0])::jsonb, \(bind: updatedAt[0])::timestamptz,
                \(bind: fencingTokens[0])::bigint, \(bind: transitions[0])::jsonb, \(bind: outbox[0])::jsonb, \(bind: currentStates[0])::text,
                \(bind: statesVisited[0])::jsonb, \(bind: startedAt[0])::timestamptz)
            """
        ).named("commit_execution")
    }

    private var batch: PostgresQuery {
        PostgresQuery(
            """
            SELECT outcome, observed FROM lr_commit_executions(
                \(bind: ids)::text[], \(bind: expected)::bigint[], \(bind: newSequences)::bigint[], \(bind: statuses)::text[],
                \(bind: snapshots)::bytea[], \(bind: JSONValue.array(outputs.map(Self.nullable)))::jsonb,
                \(bind: JSONValue.array(errors.map(Self.nullable)))::jsonb,
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
