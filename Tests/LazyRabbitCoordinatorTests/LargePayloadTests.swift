import CoordinatorService
import Foundation
import LazyRabbitCoordinator
import PostgresDriver
import RedisDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Large payloads stored once and passed by reference (docs/protocol.md, "Large payloads").
@Suite(.serialized) struct LargePayloadTests {
    static let bigEcho = """
        apiVersion: lazyrabbit/v1
        name: big-echo
        start: echo
        states:
          echo: { type: task, callback: { type: handler, name: echo, input: { blob: "${input.blob}" } }, output: echoed, next: end }
          end: { type: succeed }
        """

    @Test func aSixHundredKiBValueTravelsByReferenceAndComesBack() async throws {
        try await DistributedHarness.with(workers: 1) { cluster in
            let owner = Requester(user: "ada")
            let (workflow, _) = try await cluster.plane.createWorkflow(source: Self.bigEcho, by: owner)
            let blob = String((0..<600 * 1024).map { index in Character(UnicodeScalar(UInt8(97 + index % 26))) })
            let started = try await cluster.plane.startExecution(
                workflowID: workflow.id, input: ["blob": .string(blob)], idempotencyKey: nil, by: owner)
            let record = try await cluster.waitForTerminal(started.record.id, timeout: .seconds(60))
            #expect(record.status == .completed, "ended \(record.status): \(String(describing: record.error))")
            #expect(record.output?["echoed"]?["blob"] == .string(blob))
            // The task (stub + payload) and the outcome (outcome_ref + payload) were both stored.
            let keys = try await cluster.redis.command(["KEYS", cluster.redisKeyPrefix + "payload:*"]).elements?.compactMap(\.text) ?? []
            #expect(keys.count == 2, "payload keys: \(keys)")
            // The task message kept in the outbox is the small stub.
            let largest = try await cluster.pool.withConnection { connection in
                try await connection.query("SELECT coalesce(max(octet_length(payload)), 0) FROM outbox").first?.decode(at: 0, as: Int.self) ?? 0
            }
            #expect(largest < 4096, "largest outbox message: \(largest) bytes")
        }
    }

    @Test func anOutcomeByReferenceIsResolvedOrFailsAsPayloadLost() async throws {
        let store = InMemoryPayloadStore()
        let outcome = TaskOutcome.succeeded(["blob": .string(String(repeating: "z", count: 1000))])
        let reference = try await store.put(try JSONEncoder().encode(outcome))
        let report = TaskReport(
            executionID: "e", taskID: "t", attempt: 1, outcome: outcome, workerID: "w", fencingToken: 1, startedAt: Date(), finishedAt: Date())
            .byReference(reference)
        #expect(try await ReportApplier.outcome(of: report, payloads: store) == outcome)
        store.remove(reference)
        guard case .failed(let failure) = try await ReportApplier.outcome(of: report, payloads: store) else {
            Issue.record("expected payload_lost")
            return
        }
        #expect(failure.errorClass == "payload_lost")
        guard case .failed(let none) = try await ReportApplier.outcome(of: report, payloads: nil) else {
            Issue.record("expected payload_lost without a store")
            return
        }
        #expect(none.errorClass == "payload_lost")
    }
}
