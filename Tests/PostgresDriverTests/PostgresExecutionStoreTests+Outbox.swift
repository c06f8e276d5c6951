import Foundation
import PostgresDriver
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
}
