import Foundation
@testable import PostgresDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

extension PostgresIntegration {
    /// What the PostgreSQL store adds to the shared conformance suite (WorkflowDriversTests):
    /// rows in the richer schema, the outbox in the same transaction, and batches.
    @Suite struct PostgresExecutionStoreTests {
        static func execution(_ id: String) -> ExecutionRecord {
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            return ExecutionRecord(
                id: id, workflowName: "orders", definitionSource: "name: orders\n", status: .running, sequence: 0, snapshot: ExecutionSnapshot(Data([1])),
                input: ["order": 1], createdAt: start, updatedAt: start)
        }

        static func update(_ id: String, expected: Int, count: Int = 1, token: Int64? = nil, status: ExecutionStatus = .running) -> ExecutionUpdate {
            let transitions = (expected + 1...expected + count).map { sequence in
                TransitionRecord(
                    executionID: id, sequence: sequence, thread: "main", fromState: "S\(sequence - 1)", toState: "S\(sequence)",
                    kind: "state_entered", at: Date(timeIntervalSince1970: 1_700_000_001 + Double(sequence)),
                    details: ["duration_ms": 12, "condition": "$.ok"])
            }
            return ExecutionUpdate(
                executionID: id, expectedSequence: expected, status: status, snapshot: ExecutionSnapshot(Data([UInt8(expected + count)])),
                transitions: transitions, updatedAt: Date(timeIntervalSince1970: 1_700_000_010), fencingToken: token)
        }

        @Test func twentyConcurrentDuplicateCommitsLeaveOneRowEach() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool)
                try await store.create(Self.execution("e1"), transitions: [])
                let update = Self.update("e1", expected: 0)
                let message = OutboxMessage(messageID: "e1-1", topic: "tasks", routingKey: "orders.S1", payload: Data("go".utf8))
                let results = try await withThrowingTaskGroup(of: CommitResult.self) { group in
                    for _ in 0..<20 { group.addTask { try await store.commit(update, outbox: [message]) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.count(where: { $0 == .applied }) == 1)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM state_transitions") == 1)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM audit_logs") == 1)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox") == 1)
            }
        }

        @Test func appliedCommitFillsTheRicherColumns() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool)
                try await store.create(Self.execution("e1"), transitions: [])
                #expect(try await store.commit(Self.update("e1", expected: 0, count: 2)) == .applied)
                #expect(try await store.commit(Self.update("e1", expected: 2, status: .completed)) == .applied)
                let row = try #require(try await pool.withConnection { connection in
                    try await connection.query(
                        """
                        SELECT e.current_state, e.states_visited, e.duration_ms AS total_ms, e.completed_at IS NOT NULL AS done,
                               t.transition_type, t.duration_ms, t.condition_evaluated, a.event_type, a.state
                        FROM workflow_executions e JOIN state_transitions t ON t.execution_id = e.id
                        JOIN audit_logs a ON a.execution_id = e.id AND (a.metadata ->> 'sequence')::int = t.sequence
                        WHERE e.id = \(bind: "e1") AND t.sequence = 3
                        """)
                }.first)
                #expect(try row.decode("current_state", as: String.self) == "S3")
                #expect(try row.decode("states_visited", as: JSONValue.self) == ["S1", "S2", "S3"])
                #expect(try row.decode("total_ms", as: Int.self) == 10_000)
                #expect(try row.decode("done", as: Bool.self))
                #expect(try row.decode("transition_type", as: String.self) == "state_entered")
                #expect(try row.decode("duration_ms", as: Int.self) == 12)
                #expect(try row.decode("condition_evaluated", as: String.self) == "$.ok")
                #expect(try row.decode("event_type", as: String.self) == "state_entered")
                #expect(try row.decode("state", as: String.self) == "S3")
            }
        }

        @Test func staleFencingTokenWritesNothingNotEvenOutbox() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool)
                try await store.create(Self.execution("e1"), transitions: [])
                #expect(try await store.commit(Self.update("e1", expected: 0, token: 7)) == .applied)
                let late = OutboxMessage(messageID: "late", topic: "tasks", routingKey: "x", payload: Data())
                await #expect(throws: StoreError.staleFencingToken(executionID: "e1", token: 6, current: 7)) {
                    try await store.commit(Self.update("e1", expected: 1, token: 6), outbox: [late])
                }
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox") == 0)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM state_transitions") == 1)
            }
        }

        @Test func commitBatchAppliesManyWithResultsPerUpdate() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool)
                for index in 0..<200 { try await store.create(Self.execution("e\(index)"), transitions: []) }
                let commits = (0..<200).reversed().map { index in
                    ExecutionCommit(
                        Self.update("e\(index)", expected: 0, count: 2),
                        outbox: [OutboxMessage(messageID: "m\(index)", topic: "tasks", routingKey: "r", payload: Data([UInt8(index % 256)]))])
                }
                let results = try await store.commitBatch(commits)
                #expect(results.allSatisfy { (try? $0.get()) == .applied })
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM state_transitions") == 400)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox") == 200)

                // Enough distinct executions for the set-based call, plus a second update of e0 (sent after it).
                let fillers = (3..<(3 + CommitRound.setBasedMinimum)).map { Self.update("e\($0)", expected: 2) }
                let mixed = try await store.commitBatch([
                    Self.update("e0", expected: 2), Self.update("e1", expected: 0, count: 2), Self.update("e2", expected: 5),
                    Self.update("missing", expected: 0), Self.update("e0", expected: 3),
                ] + fillers)
                #expect(try mixed[0].get() == .applied)
                #expect(try mixed[1].get() == .duplicate)
                #expect(throws: StoreError.conflict(executionID: "e2", expected: 5, found: 2)) { try mixed[2].get() }
                #expect(throws: StoreError.executionNotFound("missing")) { try mixed[3].get() }
                #expect(try mixed[4].get() == .applied)
                #expect(mixed.dropFirst(5).allSatisfy { (try? $0.get()) == .applied })
                #expect(try await store.execution(id: "e0")?.sequence == 4)
            }
        }

        /// An `ai_decided` transition fills the HLD's AI columns (used, reasoning, confidence 0–100),
        /// whether it is committed alone or in a set-based round; an unanswered question is not a
        /// decision the model made.
        @Test func aiDecisionsFillTheirColumns() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool, groupCommit: false)
                func decided(_ id: String, answered: Bool) -> ExecutionUpdate {
                    var update = Self.update(id, expected: 0)
                    update.transitions[0].kind = "ai_decided"
                    update.transitions[0].details = answered
                        ? ["question": "Fraud?", "answer": true, "confidence": 92, "explanation": "countries differ", "matched": true]
                        : ["question": "Fraud?", "error": "llm_unavailable", "matched": false]
                    return update
                }
                let ids = (0..<CommitRound.setBasedMinimum).map { "set\($0)" } + ["one", "none"]
                for id in ids { try await store.create(Self.execution(id), transitions: []) }
                let round = try await store.commitBatch(ids.dropLast(2).map { decided($0, answered: true) })
                #expect(round.allSatisfy { (try? $0.get()) == .applied })
                #expect(try await store.commit(decided("one", answered: true), outbox: []) == .applied)
                #expect(try await store.commit(decided("none", answered: false), outbox: []) == .applied)
                let rows = try await pool.withConnection { connection in
                    try await connection.query(
                        """
                        SELECT execution_id, concat_ws(' | ', ai_decision_used, coalesce(ai_decision_reasoning, '-'), coalesce(ai_confidence_score::text, '-'))
                        FROM state_transitions ORDER BY execution_id
                        """
                    ).map { (try $0.decode(at: 0, as: String.self), try $0.decode(at: 1, as: String.self)) }
                }
                #expect(rows.count == ids.count)
                for (id, columns) in rows {
                    #expect(columns == (id == "none" ? "f | - | -" : "t | countries differ | 92"), "\(id)")
                }
            }
        }

        /// The set-based commit (large rounds) writes exactly the rows one commit at a time writes:
        /// the HLD's columns of the execution, transitions and audit rows; a JSON `null` output kept
        /// apart from no output; the end of a terminal run.
        @Test func setBasedAndSingleCommitsWriteTheSameRows() async throws {
            try await TestDatabase.with { pool throws in
                let store = PostgresExecutionStore(pool: pool, groupCommit: false)
                let count = CommitRound.setBasedMinimum
                func updates(_ prefix: String) -> [ExecutionUpdate] {
                    (0..<count).map { index in
                        var update = Self.update("\(prefix)\(index)", expected: 0, count: 2, status: index == 0 ? .completed : .running)
                        if index == 1 { update.output = .null }
                        if index == 2 { update.error = ["class": "x"] }
                        return update
                    }
                }
                for prefix in ["set", "one"] {
                    for index in 0..<count { try await store.create(Self.execution("\(prefix)\(index)"), transitions: []) }
                }
                let together = try await store.commitBatch(updates("set"))
                #expect(together.allSatisfy { (try? $0.get()) == .applied })
                for update in updates("one") { #expect(try await store.commit(update, outbox: []) == .applied) }

                func rows(_ prefix: String) async throws -> [String] {
                    try await pool.withConnection { connection in
                        try await connection.query(
                            """
                            SELECT concat_ws(' | ', substr(e.id, 4), e.status, e.sequence, e.current_state, e.states_visited,
                                       coalesce(e.final_context::text, 'SQL NULL'), e.error, e.completed_at, e.duration_ms, e.started_at,
                                       (SELECT string_agg(concat_ws(',', t.sequence, t.thread, t.from_state, t.to_state, t.transition_type,
                                                t.context_snapshot, t.condition_evaluated, t.condition_result, t.ai_decision_used,
                                                t.duration_ms, t.details, t.created_at), ';' ORDER BY t.sequence)
                                        FROM state_transitions t WHERE t.execution_id = e.id),
                                       (SELECT string_agg(concat_ws(',', a.created_at, a.level, a.state, a.event_type, a.message, a.metadata), ';' ORDER BY a.id)
                                        FROM audit_logs a WHERE a.execution_id = e.id))
                            FROM workflow_executions e WHERE e.id LIKE \(bind: prefix + "%") ORDER BY e.id
                            """
                        ).map { try $0.decode(at: 0, as: String.self) }
                    }
                }
                let setRows = try await rows("set")
                #expect(setRows.count == count)
                #expect(setRows == (try await rows("one")))
                #expect(setRows[0].contains("COMPLETED | 2 | S2 | [\"S1\", \"S2\"] | SQL NULL"))
                #expect(setRows[1].contains("| null |"))
            }
        }
    }
}
