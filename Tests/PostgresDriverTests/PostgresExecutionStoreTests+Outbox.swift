import Foundation
@testable import PostgresDriver
import Testing
import WorkflowDrivers
import WorkflowProtocol

extension PostgresIntegration.PostgresExecutionStoreTests {
    static func message(_ id: String, notBefore: Date? = nil) -> OutboxMessage {
        OutboxMessage(messageID: id, topic: "tasks", routingKey: "orders.S1", payload: Data(id.utf8), notBefore: notBefore)
    }

    static func outboxIDs(_ pool: PostgresPool) async throws -> [String] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT message_id FROM outbox ORDER BY message_id").map { try $0.decode("message_id", as: String.self) }
        }
    }

    @Test func createWritesItsOutboxOnlyWhenTheExecutionIsStored() async throws {
        try await TestDatabase.with { pool throws in
            let store = PostgresExecutionStore(pool: pool)
            var first = Self.execution("e1")
            first.owner = "ada"
            first.idempotencyKey = "k"
            try await store.create(first, transitions: [], outbox: [Self.message("m1"), Self.message("m2")])
            #expect(try await Self.outboxIDs(pool) == ["m1", "m2"])
            #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox WHERE execution_id = 'e1'") == 2)

            await #expect(throws: StoreError.duplicateExecution("e1")) {
                try await store.create(Self.execution("e1"), transitions: [], outbox: [Self.message("m3")])
            }
            var sameKey = Self.execution("e2")
            sameKey.owner = "ada"
            sameKey.idempotencyKey = "k"
            await #expect(throws: StoreError.duplicateIdempotencyKey(existingID: "e1")) {
                try await store.create(sameKey, transitions: [], outbox: [Self.message("m4")])
            }
            var unknownWorkflow = Self.execution("e3")
            unknownWorkflow.workflowID = "987654"
            await #expect(throws: StoreError.self, "the workflow_id foreign key refuses it") {
                try await store.create(unknownWorkflow, transitions: [], outbox: [Self.message("m5")])
            }
            #expect(try await store.execution(id: "e3") == nil)
            #expect(try await Self.outboxIDs(pool) == ["m1", "m2"], "a refused create queues nothing")
        }
    }

    @Test func aMessageNotBeforeLaterWaitsInTheOutbox() async throws {
        try await TestDatabase.with { pool throws in
            let store = PostgresExecutionStore(pool: pool)
            let later = ExecutionRecord.storedDate(Date().addingTimeInterval(3600))
            try await store.create(Self.execution("e1"), transitions: [], outbox: [Self.message("now"), Self.message("timer", notBefore: later)])
            #expect(try await store.commit(Self.update("e1", expected: 0), outbox: [Self.message("commit-timer", notBefore: later)]) == .applied)
            let due = try await pool.withConnection { connection in
                try await connection.query("SELECT next_attempt_at FROM outbox WHERE message_id <> 'now' ORDER BY message_id")
                    .map { try $0.decode("next_attempt_at", as: Date.self) }
            }
            #expect(due == [later, later])

            let recorder = RecordingPublisher()
            let relay = OutboxRelay(pool: pool) { try await recorder.publish($0) }
            #expect(try await relay.relayOnce() == RelayPass(claimed: 1, published: 1))
            #expect(await recorder.deliveries == ["now"], "the timers are not due yet")
            #expect(try await relay.relayOnce() == RelayPass(claimed: 0, published: 0))
        }
    }

    /// A step withdraws the unpublished rows of its execution it names when it applies: not when
    /// it conflicts or repeats, never a published row, another execution's, or a row a relay holds
    /// (that one is being published). The time limit turns a wait for the relay's lock into a failure.
    @Test(.timeLimit(.minutes(1))) func anAppliedStepWithdrawsUnpublishedRowsAndNothingElse() async throws {
        try await TestDatabase.with { pool throws in
            let store = PostgresExecutionStore(pool: pool, groupCommit: false)
            let later = Date().addingTimeInterval(3600)
            let timers = ["timer-1", "timer-2", "timer-3"].map { Self.message($0, notBefore: later) }
            try await store.create(Self.execution("e1"), transitions: [], outbox: [Self.message("sent")] + timers)
            try await store.create(Self.execution("e2"), transitions: [], outbox: [Self.message("other", notBefore: later)])
            #expect(try await OutboxRelay(pool: pool) { try await RecordingPublisher().publish($0) }.relayOnce().published == 1)

            await #expect(throws: StoreError.conflict(executionID: "e1", expected: 5, found: 0)) {
                try await store.commit(Self.update("e1", expected: 5), outbox: [], withdrawing: ["timer-1"])
            }
            #expect(try await Self.outboxIDs(pool) == ["other", "sent", "timer-1", "timer-2", "timer-3"], "a conflicting step withdraws nothing")

            #expect(try await store.commit(Self.update("e1", expected: 0), outbox: [], withdrawing: ["timer-1", "sent", "other", "unknown"]) == .applied)
            #expect(try await Self.outboxIDs(pool) == ["other", "sent", "timer-2", "timer-3"], "the published row and e2's stay")

            #expect(try await store.commit(Self.update("e1", expected: 0), outbox: [], withdrawing: ["timer-2"]) == .duplicate)
            #expect(try await Self.outboxIDs(pool) == ["other", "sent", "timer-2", "timer-3"], "a repeated step withdraws nothing")

            // A relay's claim: the row is locked by another transaction until that one ends.
            try await pool.withConnection { relay in
                try await relay.withTransaction { relay in
                    _ = try await relay.execute("SELECT id FROM outbox WHERE message_id = 'timer-2' FOR UPDATE")
                    #expect(try await store.commit(Self.update("e1", expected: 1), outbox: [], withdrawing: ["timer-2", "timer-3"]) == .applied)
                }
            }
            #expect(try await Self.outboxIDs(pool) == ["other", "sent", "timer-2"], "the claimed row is left to its relay, without waiting for it")
        }
    }

    /// The set-based commit (large rounds) withdraws each applied commit's rows and no others.
    @Test func aSetBasedRoundWithdrawsTheRowsOfItsAppliedCommits() async throws {
        try await TestDatabase.with { pool throws in
            let store = PostgresExecutionStore(pool: pool, groupCommit: false)
            let later = Date().addingTimeInterval(3600)
            let ids = (0..<CommitRound.setBasedMinimum).map { "e\($0)" }
            for id in ids {
                try await store.create(Self.execution(id), transitions: [], outbox: ["a", "b"].map { Self.message("\(id)/\($0)", notBefore: later) })
            }
            // e1 conflicts (after e0, which applies: positions must not slip); e2 withdraws nothing;
            // the others withdraw their two rows, and e3 names a row of e1 too, which is not its own.
            let commits = ids.enumerated().map { index, id in
                ExecutionCommit(
                    Self.update(id, expected: index == 1 ? 3 : 0),
                    withdrawn: index == 2 ? [] : ["\(id)/a", "\(id)/b"] + (index == 3 ? ["e1/b"] : []))
            }
            let results = try await store.commitBatch(commits)
            #expect(throws: StoreError.conflict(executionID: "e1", expected: 3, found: 0)) { try results[1].get() }
            #expect(results.enumerated().allSatisfy { $0.offset == 1 || (try? $0.element.get()) == .applied })
            #expect(try await Self.outboxIDs(pool) == ["e1/a", "e1/b", "e2/a", "e2/b"])
        }
    }
}
