import Foundation
@testable import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct FinishedExecutionPurgeTests {
        /// An execution created a day before it finished (`finishedDaysAgo` nil: still going; its
        /// last update today), with two transitions and their two audit rows. `completedAt: false`
        /// leaves `completed_at` empty, as for a run that finished as it started.
        static func insert(
            _ pool: PostgresPool, _ id: String, status: String, finishedDaysAgo: Int?, completedAt: Bool = true,
            parent: String? = nil, createdDaysAgo: Int? = nil
        ) async throws {
            try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    INSERT INTO workflow_executions (
                        id, workflow_name, definition_source, status, initial_context, snapshot, parent_execution_id,
                        created_at, updated_at, completed_at)
                    VALUES (\(bind: id), 'purge-test', 'name: purge-test', \(bind: status), '{}', '\\x00', \(bind: parent),
                            now() - make_interval(days => \(bind: createdDaysAgo ?? (finishedDaysAgo ?? 0) + 1)),
                            now() - make_interval(days => \(bind: finishedDaysAgo ?? 0)),
                            now() - make_interval(days => \(bind: completedAt ? finishedDaysAgo : nil)))
                    """)
                let transitions = """
                    [{"sequence": 1, "thread": "main", "kind": "started", "at": "2026-01-01T00:00:00Z", "details": {}},
                     {"sequence": 2, "thread": "main", "kind": "entered", "to_state": "a", "at": "2026-01-01T00:00:01Z", "details": {}}]
                    """
                _ = try await connection.query("SELECT lr_record_transitions(\(bind: id), \(bind: transitions)::jsonb)")
            }
        }

        /// The distinct values of `column` in `table`, sorted.
        static func values(_ pool: PostgresPool, of column: String = "execution_id", in table: String) async throws -> [String] {
            try await pool.withConnection { connection in
                try await connection.query(PostgresQuery(sql: "SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY 1"))
                    .map { try $0.decode(at: 0, as: String.self) }
            }
        }

        @Test func deletesFinishedExecutionsAndTheirHistoryOnly() async throws {
            try await TestDatabase.with { pool throws in
                try await Self.insert(pool, "old-completed", status: "COMPLETED", finishedDaysAgo: 40)
                try await Self.insert(pool, "old-failed", status: "FAILED", finishedDaysAgo: 35)
                try await Self.insert(pool, "finished-at-start", status: "FAILED", finishedDaysAgo: 33, completedAt: false)
                try await Self.insert(pool, "recent-completed", status: "COMPLETED", finishedDaysAgo: 1)
                try await Self.insert(pool, "old-running", status: "RUNNING", finishedDaysAgo: nil, createdDaysAgo: 40)
                try await Self.insert(pool, "parent-of-running", status: "COMPLETED", finishedDaysAgo: 40)
                try await Self.insert(pool, "running-child", status: "RUNNING", finishedDaysAgo: nil, parent: "parent-of-running", createdDaysAgo: 40)
                try await Self.insert(pool, "waiting-parent", status: "WAITING", finishedDaysAgo: nil, createdDaysAgo: 41)
                try await Self.insert(pool, "child-of-waiting", status: "COMPLETED", finishedDaysAgo: 40, parent: "waiting-parent")
                try await Self.insert(pool, "parent-of-finished", status: "CANCELLED", finishedDaysAgo: 40)
                try await Self.insert(pool, "finished-child", status: "TIMED_OUT", finishedDaysAgo: 39, parent: "parent-of-finished")
                try await pool.withConnection { connection in
                    try await connection.execute(
                        "INSERT INTO recovery_actions (execution_id, error_type, recovery_strategy) VALUES ('old-completed', 'timeout', 'retry')")
                    try await connection.execute(
                        "INSERT INTO llm_usage (execution_id, provider, model, purpose) VALUES ('old-completed', 'local', 'm', 'recovery')")
                }
                let purge = FinishedExecutionPurge(pool: pool, finishedBefore: Date().addingTimeInterval(-30 * 86_400))

                #expect(try await purge.count() == 5)
                var reported: [Int] = []
                let outcome = try await purge.run(batchSize: 3) { reported.append($0) }

                #expect(outcome == .init(executions: 5, transitions: 10, auditRows: 10))
                #expect(reported == [3, 5], "two batches, the running total after each")
                let kept = ["child-of-waiting", "old-running", "parent-of-running", "recent-completed", "running-child", "waiting-parent"]
                #expect(try await Self.values(pool, of: "id", in: "workflow_executions") == kept)
                #expect(try await Self.values(pool, in: "state_transitions") == kept)
                #expect(try await Self.values(pool, in: "audit_logs") == kept)
                #expect(try await Self.values(pool, in: "recovery_actions") == [], "recovery actions go by cascade")
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM llm_usage WHERE execution_id IS NULL") == 1, "usage stays, unlinked")
                #expect(try await purge.count() == 0)
                #expect(try await purge.run() == .init())
            }
        }

        /// A root whose finished child still has a running grandchild stays: its tree is not done.
        @Test func keepsARootWhileAnyExecutionOfItsTreeRuns() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool)
                try await Self.insert(pool, "root", status: "COMPLETED", finishedDaysAgo: 40)
                try await Self.insert(pool, "child", status: "CANCELLED", finishedDaysAgo: 40, parent: "root")
                try await Self.insert(pool, "grandchild", status: "RUNNING", finishedDaysAgo: nil, parent: "child", createdDaysAgo: 40)
                #expect(try await store.admitChild("child", of: "root", limit: 10))
                #expect(try await store.admitChild("grandchild", of: "child", limit: 10))
                let purge = FinishedExecutionPurge(pool: pool, finishedBefore: Date().addingTimeInterval(-30 * 86_400))
                #expect(try await purge.count() == 0)
            }
        }

        @Test func leavesAnExecutionLockedByACommitForTheNextRun() async throws {
            try await TestDatabase.with { pool throws in
                for index in 0..<4 {
                    try await Self.insert(pool, "done-\(index)", status: "COMPLETED", finishedDaysAgo: 40 - index)
                }
                let purge = FinishedExecutionPurge(pool: pool, finishedBefore: Date().addingTimeInterval(-30 * 86_400))
                let holder = PostgresPool(configuration: pool.configuration)
                try await holder.withTransaction { connection in
                    _ = try await connection.query("SELECT 1 FROM workflow_executions WHERE id = 'done-1' FOR UPDATE")
                    #expect(try await purge.run(batchSize: 1).executions == 3, "the locked one is skipped, the rest go")
                }
                #expect(try await Self.values(pool, of: "id", in: "workflow_executions") == ["done-1"])
                #expect(try await purge.run().executions == 1)
            }
        }
    }
}
