public import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Commits: one function call each, or many pipelined in one transaction.
extension PostgresExecutionStore {
    /// Applies many executions' updates in one transaction and one round trip (libpq pipeline
    /// mode): the group commit that lifts throughput past one WAL flush per transition.
    ///
    /// Updates are sent ordered by execution id, so concurrent batches lock rows in the same order
    /// and cannot deadlock; updates of one execution keep their order. A conflict, stale token or
    /// missing execution fails only its own update; a database error fails the whole batch (nothing
    /// is written), and after a lost connection the batch is sent again (applied updates come back
    /// as ``CommitResult/duplicate``).
    ///
    /// - Returns: One result per commit, in the order given.
    public func commitBatch(_ commits: [ExecutionCommit]) async throws -> [Result<CommitResult, StoreError>] {
        var results = [Result<CommitResult, StoreError>](repeating: .failure(.backend("not sent")), count: commits.count)
        var sendable: [(index: Int, commit: ExecutionCommit)] = []  // validated ones, with their position
        for (index, commit) in commits.enumerated() {
            do {
                try commit.update.validate()
                sendable.append((index, commit))
            } catch let error as StoreError {
                results[index] = .failure(error)
            }
        }
        let outcomes = try await Self.pipelined(sendable.map(\.commit), pool: pool)
        for (item, outcome) in zip(sendable, outcomes) { results[item.index] = outcome }
        return results
    }

    /// ``commitBatch(_:)-([ExecutionCommit])`` without outbox messages.
    public func commitBatch(_ updates: [ExecutionUpdate]) async throws -> [Result<CommitResult, StoreError>] {
        try await commitBatch(updates.map { ExecutionCommit($0) })
    }

    /// Validated commits in one pipeline, sent in execution-id order; results in the given order.
    /// A commit whose snapshot cannot be encoded fails alone, without being sent.
    static func pipelined(_ commits: [ExecutionCommit], pool: PostgresPool) async throws -> [Result<CommitResult, StoreError>] {
        var results = [Result<CommitResult, StoreError>](repeating: .failure(.backend("not sent")), count: commits.count)
        var order: [Int] = []
        var queries: [PostgresQuery] = []
        for index in commits.indices.sorted(by: { (commits[$0].update.executionID, $0) < (commits[$1].update.executionID, $1) }) {
            do {
                queries.append(try commitQuery(commits[index]))
                order.append(index)
            } catch {
                results[index] = .failure(.backend("the snapshot of \(commits[index].update.executionID) cannot be encoded: \(error)"))
            }
        }
        guard !queries.isEmpty else { return results }
        let outcomes = try await retryingLostConnections(pool: pool) { try await pool.withConnection { try await $0.pipeline(queries) } }
        for (index, result) in zip(order, outcomes) { results[index] = outcome(of: commits[index].update, result.rows) }
        return results
    }

    /// One validated commit, one statement.
    static func commitAlone(_ commit: ExecutionCommit, pool: PostgresPool) async throws -> CommitResult {
        let query = try commitQuery(commit)
        let rows = try await retryingLostConnections(pool: pool) { try await pool.withConnection { try await $0.query(query) } }
        return try outcome(of: commit.update, rows).get()
    }

    static func commitQuery(_ commit: ExecutionCommit) throws -> PostgresQuery {
        let update = commit.update
        let snapshot = try update.snapshot.data()
        return PostgresQuery(
            """
            SELECT outcome, observed FROM lr_commit_execution(
                \(bind: update.executionID)::text, \(bind: update.expectedSequence)::bigint, \(bind: update.newSequence)::bigint,
                \(bind: update.status.rawValue)::text, \(bind: snapshot)::bytea, \(bind: update.output)::jsonb,
                \(bind: update.error)::jsonb, \(bind: update.updatedAt)::timestamptz, \(bind: update.fencingToken)::bigint,
                \(bind: json(update.transitions))::jsonb, \(bind: json(commit.outbox))::jsonb,
                \(bind: update.transitions.last { $0.thread == "main" && $0.toState != nil }?.toState)::text,
                \(bind: JSONValue.array(update.transitions.filter { $0.kind == "state_entered" }.compactMap { $0.toState.map(JSONValue.string) }))::jsonb,
                \(bind: update.transitions.first?.at)::timestamptz)
            """
        ).named("commit_execution")
    }

    /// Reads `lr_commit_execution`'s answer.
    static func outcome(of update: ExecutionUpdate, _ rows: [PostgresRow]) -> Result<CommitResult, StoreError> {
        do {
            guard let row = rows.first else { return .failure(.backend("lr_commit_execution returned no row")) }
            let outcome = try row.decode("outcome", as: String.self)
            let observed = try row.decode("observed", as: Int64?.self) ?? 0
            switch outcome {
            case "applied": return .success(.applied)
            case "duplicate": return .success(.duplicate)
            case "conflict": return .failure(.conflict(executionID: update.executionID, expected: update.expectedSequence, found: Int(observed)))
            case "stale": return .failure(.staleFencingToken(executionID: update.executionID, token: update.fencingToken ?? 0, current: observed))
            case "missing": return .failure(.executionNotFound(update.executionID))
            default: return .failure(.backend("lr_commit_execution answered \(outcome)"))
            }
        } catch {
            return .failure(.backend("\(error)"))
        }
    }
}
