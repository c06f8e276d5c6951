import Foundation
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Commits of distinct executions, gathered commit by commit into the arguments of one
/// `lr_commit_executions` call (migrations 7 and 10): one element per commit in each array, and the
/// withdrawn message ids in two parallel arrays (the commit's 1-based position, the id). A round of
/// fewer than ``setBasedMinimum`` commits is sent as one `lr_commit_execution` call (migrations 2
/// and 10) per commit instead, in execution-id order, which is faster for a few: in
/// `lazyrabbit bench infra --only postgres`, batches of 100 went from 3 006 to 9 242 transitions/s
/// with the set-based function, while lone commits were faster with the per-commit one.
struct CommitRound {
    /// The smallest round sent as one set-based call.
    static let setBasedMinimum = 8

    /// One statement of the round and the positions (in the caller's list) of the commits it
    /// answers, in row order.
    struct Statement {
        var query: PostgresQuery
        var positions: [Int]
    }

    /// Where each commit stands in the caller's list.
    private var positions: [Int] = []
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
    private var withdrawn: [[String]] = []

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
        withdrawn.append(commit.withdrawn)
    }

    /// The round's statements: one set-based call, or one call per commit in execution-id order,
    /// byte by byte — the order rows are locked in, the same as `lr_commit_executions` locks them,
    /// so concurrent transactions cannot deadlock.
    var statements: [Statement] {
        guard positions.count < Self.setBasedMinimum else { return [Statement(query: batch, positions: positions)] }
        let inLockOrder = ids.indices.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
        return inLockOrder.map { Statement(query: single($0), positions: [positions[$0]]) }
    }

    private func single(_ index: Int) -> PostgresQuery {
        PostgresQuery(
            """
            SELECT outcome, observed FROM lr_commit_execution(
                \(bind: ids[index])::text, \(bind: expected[index])::bigint, \(bind: newSequences[index])::bigint,
                \(bind: statuses[index])::text, \(bind: snapshots[index])::bytea, \(bind: outputs[index])::jsonb,
                \(bind: errors[index])::jsonb, \(bind: updatedAt[index])::timestamptz, \(bind: fencingTokens[index])::bigint,
                \(bind: transitions[index])::jsonb, \(bind: outbox[index])::jsonb, \(bind: currentStates[index])::text,
                \(bind: statesVisited[index])::jsonb, \(bind: startedAt[index])::timestamptz, \(bind: withdrawn[index])::text[])
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
                \(bind: startedAt)::timestamptz[],
                \(bind: withdrawnPositions)::integer[], \(bind: withdrawn.flatMap { $0 })::text[])
            """
        ).named("commit_executions")
    }

    /// For each withdrawn id, in `withdrawn.flatMap { $0 }` order, the 1-based position of its commit.
    private var withdrawnPositions: [Int] {
        withdrawn.indices.flatMap { Array(repeating: $0 + 1, count: withdrawn[$0].count) }
    }

    /// `{"v": value}` for a value, JSON `null` for none: the function tells a stored JSON `null` from SQL `NULL`.
    private static func nullable(_ value: JSONValue?) -> JSONValue {
        value.map { ["v": $0] } ?? .null
    }
}
