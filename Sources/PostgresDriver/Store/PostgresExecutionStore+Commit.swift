public import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Commits: many executions' steps in one call of `lr_commit_executions` (migration 7).
extension PostgresExecutionStore {
    /// Applies many executions' updates in one transaction and one round trip: the group commit
    /// that lifts throughput past one WAL flush per transition. The server applies a large batch
    /// set-based, with the same few statements whatever its size.
    ///
    /// Rows are locked in execution-id order, so concurrent batches cannot deadlock; updates of one
    /// execution keep their order. A conflict, stale token or missing execution fails only its own
    /// update; a database error fails the whole batch (nothing is written), and after a lost
    /// connection the batch is sent again (applied updates come back as ``CommitResult/duplicate``).
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

    /// Validated commits in one transaction. Commits are split into rounds in which each execution
    /// appears once (a second update of the same execution goes in the next round); a round is one
    /// `lr_commit_executions` call, or for a few commits one `lr_commit_execution` call each
    /// (``CommitRound``). Results in the given order. A commit whose snapshot cannot be encoded
    /// fails alone, without being sent.
    static func pipelined(_ commits: [ExecutionCommit], pool: PostgresPool) async throws -> [Result<CommitResult, StoreError>] {
        var results = [Result<CommitResult, StoreError>](repeating: .failure(.backend("not sent")), count: commits.count)
        var rounds: [CommitRound] = []
        var roundOfExecution: [String: Int] = [:]  // the next round each execution's update goes to
        for index in commits.indices {
            let update = commits[index].update
            do {
                let snapshot = try update.snapshot.data()
                let round = roundOfExecution[update.executionID, default: 0]
                roundOfExecution[update.executionID] = round + 1
                if round == rounds.count { rounds.append(CommitRound()) }
                rounds[round].append(commits[index], snapshot: snapshot, position: index)
            } catch {
                results[index] = .failure(.backend("the snapshot of \(update.executionID) cannot be encoded: \(error)"))
            }
        }
        let statements = rounds.flatMap(\.statements)
        guard !statements.isEmpty else { return results }
        let answers = try await retryingLostConnections(pool: pool) {
            try await pool.withConnection { try await $0.pipeline(statements.map(\.query)) }
        }
        for (statement, answer) in zip(statements, answers) {
            guard answer.rows.count == statement.positions.count else {
                throw StoreError.backend("a commit statement answered \(answer.rows.count) rows for \(statement.positions.count) commits")
            }
            for (position, row) in zip(statement.positions, answer.rows) { results[position] = outcome(of: commits[position].update, row) }
        }
        return results
    }

    /// One validated commit, alone in its transaction.
    static func commitAlone(_ commit: ExecutionCommit, pool: PostgresPool) async throws -> CommitResult {
        try await pipelined([commit], pool: pool)[0].get()
    }

    /// Reads one row of `lr_commit_executions`'s (or `lr_commit_execution`'s) answer.
    static func outcome(of update: ExecutionUpdate, _ row: PostgresRow) -> Result<CommitResult, StoreError> {
        do {
            let outcome = try row.decode("outcome", as: String.self)
            let observed = try row.decode("observed", as: Int64?.self) ?? 0
            switch outcome {
            case "applied": return .success(.applied)
            case "duplicate": return .success(.duplicate)
            case "conflict": return .failure(.conflict(executionID: update.executionID, expected: update.expectedSequence, found: Int(observed)))
            case "stale": return .failure(.staleFencingToken(executionID: update.executionID, token: update.fencingToken ?? 0, current: observed))
            case "missing": return .failure(.executionNotFound(update.executionID))
            default: return .failure(.backend("the commit function answered \(outcome)"))
            }
        } catch {
            return .failure(.backend("\(error)"))
        }
    }
}
