public import Foundation
import WorkflowProtocol

/// Deletes finished executions and their history: every execution whose status is terminal and
/// that was created and completed before a cutoff, with its transitions and audit rows (their
/// foreign keys are gone since migration 8, so they are deleted explicitly), its recovery actions
/// (by cascade); LLM usage rows keep their figures and lose the link. An execution with a child
/// that is still running is kept, so the child can still report to it; its idempotency key is
/// free again once it is gone.
///
/// Batches are separate transactions that lock their executions with `SKIP LOCKED`, so a purge
/// can run beside live coordinators.
///
/// ```swift
/// let purge = FinishedExecutionPurge(pool: pool, finishedBefore: Date().addingTimeInterval(-30 * 86_400))
/// print(try await purge.count())
/// try await purge.run { deleted in print("\(deleted) so far") }
/// ```
public struct FinishedExecutionPurge: Sendable {
    /// What one ``run(batchSize:progress:)`` deleted.
    public struct Outcome: Sendable, Equatable {
        /// Executions deleted.
        public var executions = 0
        /// Their transitions deleted.
        public var transitions = 0
        /// Their audit rows deleted.
        public var auditRows = 0
    }

    private let pool: PostgresPool
    private let cutoff: Date
    private let terminalStatuses = ExecutionStatus.allCases.filter(\.isTerminal).map(\.rawValue)

    /// A purge of `pool`'s executions finished before `finishedBefore`.
    public init(pool: PostgresPool, finishedBefore: Date) {
        self.pool = pool
        cutoff = finishedBefore
    }

    /// How many executions ``run(batchSize:progress:)`` would delete now.
    public func count() async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(PostgresQuery(
                sql: "SELECT count(*) FROM workflow_executions e WHERE \(Self.eligible)", binds: [terminalStatuses.postgresValue, cutoff.postgresValue])
            ).first?.decode(at: 0, as: Int.self) ?? 0
        }
    }

    /// Deletes eligible executions `batchSize` at a time, oldest first, until none is left;
    /// `progress` hears the running total of executions after each batch.
    @discardableResult
    public func run(batchSize: Int = 500, progress: (Int) -> Void = { _ in }) async throws -> Outcome {
        var outcome = Outcome()
        while true {
            let row = try await pool.withConnection { connection in
                try await connection.query(PostgresQuery(
                    sql: """
                    WITH doomed AS (
                        SELECT e.id FROM workflow_executions e WHERE \(Self.eligible)
                        ORDER BY e.created_at LIMIT $3 FOR UPDATE SKIP LOCKED),
                    transitions AS (DELETE FROM state_transitions s USING doomed WHERE s.execution_id = doomed.id RETURNING 1),
                    audit AS (DELETE FROM audit_logs a USING doomed WHERE a.execution_id = doomed.id RETURNING 1),
                    executions AS (DELETE FROM workflow_executions e USING doomed WHERE e.id = doomed.id RETURNING 1)
                    SELECT (SELECT count(*) FROM executions), (SELECT count(*) FROM transitions), (SELECT count(*) FROM audit)
                    """,
                    binds: [terminalStatuses.postgresValue, cutoff.postgresValue, batchSize.postgresValue])
                ).first
            }
            let executions = try row?.decode(at: 0, as: Int.self) ?? 0
            outcome.executions += executions
            outcome.transitions += try row?.decode(at: 1, as: Int.self) ?? 0
            outcome.auditRows += try row?.decode(at: 2, as: Int.self) ?? 0
            if executions > 0 { progress(outcome.executions) }
            if executions < batchSize { return outcome }
        }
    }

    /// Terminal (`$1`), created and completed before `$2`, and no child still running. The
    /// `created_at` bound lets the status-and-creation index find the rows.
    private static let eligible = """
        e.status = ANY($1::text[]) AND e.created_at < $2::timestamptz AND e.completed_at < $2::timestamptz
        AND NOT EXISTS (
            SELECT 1 FROM workflow_executions c WHERE c.parent_execution_id = e.id AND NOT c.status = ANY($1::text[]))
        """
}
