import Foundation
@testable import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct FinishedExecutionPurgeTests {
        /// An execution created a day before it completed (`nil`: still going), with two
        /// transitions and their two audit rows.
        static func insert(
            _ pool: PostgresPool, _ id: String, status: String, completedDaysAgo: Int?, parent: String? = nil, createdDaysAgo: Int? = nil
        ) async throws {
            try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    INSERT INTO workflow_executions (
                        id, workflow_name, definition_source, status, initial_context, snapshot, parent_execution_id,
                        created_at, updated_at, completed_at)
                    VALUES (\(bind: id), 'purge-test', 'name: purge-test', \(bind: status), '{}', '\\x00', \(bind: parent),
                            now() - make_interval(days => \(bind: createdDaysAgo ?? (completedDaysAgo ?? 0) + 1)), now(),
                            now() - make_interval(days => \(bind: completedDaysAgo)))
                    """)
                let transitions = """
                    [{"sequence": 1, "thread": "main", "kind": "started", "at": "2026-01-01T00:00:00Z", "details": {}},
                     {"sequence": 2, "thread": "main", "kind": "entered", "to_state": "a", "at": "2026-01-01T00:00:01Z", "details": {}}]
                    """
                _ = try await connection.query("SELECT lr_record_transitions(\(bind: id), \(bind: transitions)::jsonb)")
            }
        }

        /// The distinct values of `column` in `table`, sorted.
        static func ids(_ pool: PostgresPool, in table: String, column: String = "execution_id") async throws -> [String] {
            try await pool.withConnection { connection in
                try await connection.query(PostgresQuery(sql: "SELECT DISTINCT \(column) FROM \(table) ORDER BY 1"))
                    .map { try $0.decode(at: 0, as: String.self) }
            }
        }

        @Test func deletesFinishedExecutionsAndTheirHistoryOnly() async throws {
            try await TestDatabase.with { pool throws in
                try await Self.insert(pool, "old-completed", status: "COMPLETED", completedDaysAgo: 40)
                try await Self.insert(pool, "old-failed", status: "FAILED", completedDaysAgo: 35)
                try await Self.insert(pool, "recent-completed", status: "COMPLETED", completedDaysAgo: 1)
                try await Self.insert(pool, "old-running", status: "RUNNING", completedDaysAgo: nil, createdDaysAgo: 40)
                try await Self.insert(pool, "parent-of-running", status: "COMPLETED", completedDaysAgo: 40)
                try await Self.insert(pool, "running-child", status: "RUNNING", completedDaysAgo: nil, parent: "parent-of-running", createdDaysAgo: 40)
                try await Self.insert(pool, "parent-of-finished", status: "CANCELLED", completedDaysAgo: 40)
                try await Self.insert(pool, "finished-child", status: "COMPLETED", completedDaysAgo: 39, parent: "parent-of-finished")
                let purge = FinishedExecutionPurge(pool: pool, finishedBefore: Date().addingTimeInterval(-30 * 86_400))

                #expect(try await purge.count() == 4)
                var reported: [Int] = []
                let outcome = try await purge.run(batchSize: 3) { reported.append($0) }

                #expect(outcome == .init(executions: 4, transitions: 8, auditRows: 8))
                #expect(reported == [3, 4])
                let kept = ["old-running", "parent-of-running", "recent-completed", "running-child"]
                #expect(try await Self.ids(pool, in: "workflow_executions", column: "id") == kept)
                #expect(try await Self.ids(pool, in: "state_transitions") == kept)
                #expect(try await Self.ids(pool, in: "audit_logs") == kept)
                #expect(try await purge.count() == 0)
                #expect(try await purge.run() == .init())
            }
        }
    }
}
