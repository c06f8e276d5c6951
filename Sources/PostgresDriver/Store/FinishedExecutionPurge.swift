public import Foundation
import WorkflowProtocol

/// Deletes finished executions and their history: every execution whose status is terminal and
/// that was created and finished before a cutoff, with its transitions and audit rows (their
/// foreign keys are gone since migration 8, so they are deleted explicitly) and its recovery
/// actions (by cascade), and its place in a tree of child workflows (a purged root's count of
/// children goes too); LLM usage rows keep their figures and lose the link. A purged execution's
/// idempotency key is free again.
///
/// Parents and children go together or not at all: an execution with a child still running is
/// kept (the child will report to it), and so is a finished child of a parent still running (the
/// parent's history points at it, and its row is what keeps the parent from starting it twice).
///
/// Batches are separate statements that lock their executions with `SKIP LOCKED`, oldest first,
/// each starting where the last one ended, so a purge can run beside live coordinators; an
/// execution busy at that moment is left for the next run.
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
                sql: "SELECT count(*) FROM workflow_executions e WHERE \(Self.eligible)",
                binds: [terminalStatuses.postgresValue, cutoff.postgresValue])
            ).first?.decode(at: 0, as: Int.self) ?? 0
        }
    }

    /// Deletes eligible executions `batchSize` (at least 1) at a time, oldest first, until a batch
    /// finds none; `progress` hears the running total of executions after each batch.
    @discardableResult
    public func run(batchSize: Int = 500, progress: (Int) -> Void = { _ in }) async throws -> Outcome {
        var outcome = Outcome()
        var after = (createdAt: Date(timeIntervalSince1970: 0), id: "")
        while true {
            // Each delete looks the batch's rows up by index with `= ANY(ARRAY(…))`: a join could let
            // the planner hash the batch and scan a whole history table for it.
            let row = try await pool.withConnection { connection in
                try await connection.query(PostgresQuery(
                    sql: """
                        WITH doomed AS (
                            SELECT e.id FROM workflow_executions e
                            WHERE \(Self.eligible) AND (e.created_at, e.id) > ($4::timestamptz, $5::text)
                            ORDER BY e.created_at, e.id LIMIT $3 FOR UPDATE SKIP LOCKED),
                        transitions AS (
                            DELETE FROM state_transitions WHERE execution_id = ANY(ARRAY(SELECT id FROM doomed)) RETURNING 1),
                        audit AS (DELETE FROM audit_logs WHERE execution_id = ANY(ARRAY(SELECT id FROM doomed)) RETURNING 1),
                        members AS (DELETE FROM execution_tree_members WHERE execution_id = ANY(ARRAY(SELECT id FROM doomed))),
                        trees AS (DELETE FROM execution_trees WHERE root_id = ANY(ARRAY(SELECT id FROM doomed))),
                        executions AS (
                            DELETE FROM workflow_executions WHERE id = ANY(ARRAY(SELECT id FROM doomed)) RETURNING created_at, id)
                        SELECT count(*) OVER (), created_at, id,
                            (SELECT count(*) FROM transitions), (SELECT count(*) FROM audit)
                        FROM executions ORDER BY created_at DESC, id DESC LIMIT 1
                        """,
                    binds: [
                        terminalStatuses.postgresValue, cutoff.postgresValue, max(1, batchSize).postgresValue,
                        after.createdAt.postgresValue, after.id.postgresValue,
                    ])
                ).first
            }
            // No row: nothing left to delete. Otherwise the batch's counts and its last execution.
            guard let row else { return outcome }
            outcome.executions += try row.decode(at: 0, as: Int.self)
            outcome.transitions += try row.decode(at: 3, as: Int.self)
            outcome.auditRows += try row.decode(at: 4, as: Int.self)
            after = (try row.decode(at: 1, as: Date.self), try row.decode(at: 2, as: String.self))
            progress(outcome.executions)
        }
    }

    /// Terminal (`$1`), created and finished before `$2` (an execution that finished as it
    /// started has no `completed_at`: its last update is when it finished), no child still
    /// running, no execution of its tree of child workflows still running (a root whose finished
    /// child has a running grandchild stays, and with it the tree's count), no parent still running.
    private static let eligible = """
        e.status = ANY($1::text[]) AND e.created_at < $2::timestamptz
        AND coalesce(e.completed_at, e.updated_at) < $2::timestamptz
        AND NOT EXISTS (
            SELECT 1 FROM workflow_executions c WHERE c.parent_execution_id = e.id AND NOT c.status = ANY($1::text[]))
        AND NOT EXISTS (
            SELECT 1 FROM execution_tree_members m JOIN workflow_executions d ON d.id = m.execution_id
            WHERE m.root_id = e.id AND NOT d.status = ANY($1::text[]))
        AND NOT EXISTS (
            SELECT 1 FROM workflow_executions p WHERE p.id = e.parent_execution_id AND NOT p.status = ANY($1::text[]))
        """
}
