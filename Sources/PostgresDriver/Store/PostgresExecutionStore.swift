import DriverSupport
import Foundation
public import WorkflowDrivers
import WorkflowJSON
public import WorkflowProtocol

/// The ``ExecutionStore`` of distributed mode, in PostgreSQL (run ``PostgresMigrator`` first).
///
/// A commit is one call of the `lr_commit_executions` function (migration 7), one statement and one
/// transaction, which takes many executions' commits at once: it locks the execution rows, refuses
/// a stale fencing token, checks the sequence, updates the rows, inserts the transitions (`UNIQUE (execution_id, sequence)`), one audit_logs row
/// per transition and the outbox messages. A repeated commit finds its last transition stored and
/// reports ``CommitResult/duplicate``, which is why a commit whose connection broke is simply retried.
/// Concurrent commits are grouped into one pipelined transaction while earlier ones are in flight
/// (group commit), and ``commitBatch(_:)-([ExecutionCommit])`` pipelines many commits explicitly.
///
/// ```swift
/// let store = PostgresExecutionStore(pool: pool)
/// let result = try await store.commit(update, outbox: [message])
/// ```
public final class PostgresExecutionStore: ExecutionStore {
    let pool: PostgresPool
    /// Group commit: commits that arrive while earlier ones are being written go to the server
    /// together, in one transaction. If a group fails as a whole (a database error, not a
    /// per-update conflict), each of its commits is retried alone, so one bad update cannot fail
    /// its neighbours.
    private let group: SubmissionGroup<ExecutionCommit, CommitResult>?
    /// The same for new executions: concurrent creates go together, each answering whether it
    /// inserted its row (`lr_create_execution`).
    private let creates: SubmissionGroup<PostgresQuery, Bool>?

    /// A store over `pool`'s database.
    ///
    /// - Parameter groupCommit: Send concurrent ``commit(_:outbox:)`` calls, and concurrent
    ///   ``create(_:transitions:outbox:)`` calls, together as one pipelined transaction while
    ///   earlier ones are in flight (default `true`).
    public init(pool: PostgresPool, groupCommit: Bool = true) {
        self.pool = pool
        guard groupCommit else {
            group = nil
            creates = nil
            return
        }
        creates = SubmissionGroup(maxSends: max(1, pool.configuration.poolSize / 2), maxWeight: 100) { [pool] queries in
            await Self.together(queries) { queries in
                try await pool.withConnection { try await $0.pipeline(queries) }.map { answer in Result { try Self.inserted(answer.rows.first) } }
            } alone: { query in
                try await Self.createAlone(query, pool: pool)
            }
        }
        group = SubmissionGroup(maxSends: max(1, pool.configuration.poolSize / 2), maxWeight: 500) { [pool] commits in
            await Self.together(commits) { commits in
                try await Self.pipelined(commits, pool: pool).map { $0.mapError { $0 as any Error } }
            } alone: { commit in
                try await Self.commitAlone(commit, pool: pool)
            }
        }
    }

    /// Sends a group's items in one transaction (`together`), or — when that fails as a whole, or
    /// for a lone item — each in its own (`alone`), so one bad item cannot fail its neighbours.
    private static func together<Item, Answer>(
        _ items: [Item], _ together: ([Item]) async throws -> [Result<Answer, any Error>], alone: (Item) async throws -> Answer
    ) async -> [Result<Answer, any Error>] {
        if items.count > 1, let results = try? await together(items) { return results }
        var results: [Result<Answer, any Error>] = []
        for item in items {
            do { results.append(.success(try await alone(item))) } catch { results.append(.failure(error)) }
        }
        return results
    }

    public func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws {
        let query = try Self.createQuery(execution, transitions: transitions, outbox: outbox)
        let inserted = if let creates { try await creates.submit(query) } else { try await Self.createAlone(query, pool: pool) }
        guard !inserted else { return }
        if let key = execution.idempotencyKey, let existing = try await self.execution(owner: execution.owner, idempotencyKey: key),
           existing.id != execution.id {
            throw StoreError.duplicateIdempotencyKey(existingID: existing.id)
        }
        throw StoreError.duplicateExecution(execution.id)
    }

    /// One `lr_create_execution` call in its own transaction: whether it inserted the row.
    private static func createAlone(_ query: PostgresQuery, pool: PostgresPool) async throws -> Bool {
        try await storeErrors {
            try await inserted(pool.withConnection { try await $0.query(query) }.first)
        }
    }

    /// `lr_create_execution`'s answer.
    private static func inserted(_ row: PostgresRow?) throws(StoreError) -> Bool {
        do { return try row?.decode(at: 0, as: Bool.self) ?? false } catch { throw .backend("lr_create_execution answered \(error)") }
    }

    /// Commits `update` and, if it applies, queues `outbox` and deletes the unpublished rows of
    /// `withdrawn` in the same transaction.
    ///
    /// - Throws: ``StoreError/conflict(executionID:expected:found:)``, ``StoreError/staleFencingToken(executionID:token:current:)``,
    ///   ``StoreError/executionNotFound(_:)``, or ``StoreError/backend(_:)``.
    public nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult {
        try update.validate()
        let commit = ExecutionCommit(update, outbox: outbox, withdrawn: withdrawn)
        guard let group else { return try await Self.commitAlone(commit, pool: pool) }
        return try await group.submit(commit)
    }

    public func execution(id: String) async throws -> ExecutionRecord? {
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query("SELECT \(trustedSQL: Self.executionColumns) FROM workflow_executions WHERE id = \(bind: id)")
            }
        }
        return try rows.first.map(Self.execution(from:))
    }

    public func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT execution_id, sequence, thread, from_state, to_state, transition_type, created_at, details
                    FROM state_transitions WHERE execution_id = \(bind: executionID) AND sequence > \(bind: afterSequence) ORDER BY sequence
                    """)
            }
        }
        return try rows.map(Self.transition(from:))
    }

    public func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord? {
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT \(trustedSQL: Self.executionColumns) FROM workflow_executions
                    WHERE idempotency_key = \(bind: idempotencyKey)
                      AND CASE WHEN \(bind: owner)::text IS NULL THEN owner_id IS NULL
                               ELSE owner_id = (SELECT id FROM users WHERE username = \(bind: owner)) END
                    """)
            }
        }
        return try rows.first.map(Self.execution(from:))
    }

    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        // Workflow ids are bigints here: another string names no stored workflow.
        if let workflowID = query.workflowID, Int64(storedID: workflowID) == nil { return ExecutionPage(executions: [], limit: query.limit) }
        let statuses = query.statuses.map { $0.map(\.rawValue).sorted() }
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT \(trustedSQL: Self.executionColumns) FROM workflow_executions
                    WHERE (\(bind: statuses == nil) OR status = ANY(\(bind: statuses ?? [])::text[]))
                      AND (\(bind: query.owner)::text IS NULL OR owner_id = (SELECT id FROM users WHERE username = \(bind: query.owner)))
                      AND (\(bind: query.workflowID)::bigint IS NULL OR workflow_id = \(bind: query.workflowID)::bigint)
                      AND (\(bind: query.workflowName)::text IS NULL OR workflow_name = \(bind: query.workflowName))
                      AND (\(bind: query.createdAfter)::timestamptz IS NULL OR created_at >= \(bind: query.createdAfter))
                      AND (\(bind: query.createdBefore)::timestamptz IS NULL OR created_at < \(bind: query.createdBefore))
                      AND (\(bind: query.cursor == nil) OR (created_at, id) < (\(bind: query.cursor?.createdAt), \(bind: query.cursor?.id)))
                    ORDER BY created_at DESC, id DESC LIMIT \(bind: max(0, query.limit))
                    """)
            }
        }
        return ExecutionPage(executions: try rows.map(Self.execution(from:)), limit: query.limit)
    }

    public func unfinishedCount(owner: String, limit: Int) async throws -> Int {
        let unfinished = ExecutionStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT count(*)::integer AS unfinished FROM (
                      SELECT 1 FROM workflow_executions
                      WHERE owner_id = (SELECT id FROM users WHERE username = \(bind: owner)) AND status = ANY(\(bind: unfinished)::text[])
                      LIMIT \(bind: max(0, limit))) AS counted
                    """)
            }
        }
        return try rows.first?.decode("unfinished", as: Int.self) ?? 0
    }

    /// Counts are `integer`s here: a `limit` above `Int32.max` is that.
    public func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool {
        let limit = Int32(clamping: limit)
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    "SELECT lr_admit_child(\(bind: childID)::text, \(bind: parentID)::text, \(bind: Int(limit))::integer)")
            }
        }
        guard let row = rows.first else { throw StoreError.backend("lr_admit_child answered no row") }
        do { return try row.decode(at: 0, as: Bool.self) } catch { throw StoreError.backend("lr_admit_child answered \(error)") }
    }

    /// Runs `body`, again after a lost connection (the store's writes are idempotent, so a repeat
    /// is safe), and turns driver errors into ``StoreError/backend(_:)``.
    func retryingLostConnections<T>(_ body: () async throws -> T) async throws -> T {
        try await Self.retryingLostConnections(pool: pool, body)
    }

    static func retryingLostConnections<T>(pool: PostgresPool, _ body: () async throws -> T) async throws -> T {
        var backoff = ReconnectBackoff()
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as PostgresError where error.isConnectionFailure && attempt < pool.configuration.transactionAttempts {
                attempt += 1
                try await Task.sleep(for: backoff.next())
            } catch let error as PostgresError {
                throw StoreError.backend(error.description)
            }
        }
    }
}
