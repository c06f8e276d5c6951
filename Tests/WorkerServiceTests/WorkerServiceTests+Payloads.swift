import Foundation
import LazyRabbitWorker
import RedisDriver
import Testing
import WorkflowDSL
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Tasks and outcomes passed by reference through the Redis payload store (docs/protocol.md, "Large payloads").
@Suite struct WorkerPayloadTests {
    @Test func aStubIsResolvedAndALargeOutcomeIsStoredByReference() async throws {
        try await withWorker({ $0.payloadThreshold = 1024 }) { worker, _ in
            let store = RedisPayloadStore(pool: worker.pool, keyPrefix: worker.configuration.redisKeyPrefix)
            let big = String(repeating: "x", count: 4096)
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: ["big": .string(big)])))
            let reference = try await store.put(try JSONEncoder().encode(task))
            try await worker.publish(bodies: [Array(try JSONEncoder().encode(task.stub(reference: reference)))])
            let report = try #require(try await worker.reports(1).first)
            #expect(report.taskID == task.taskID)
            #expect(report.version == TaskReport.referenceVersion)
            #expect(report.outcome == TaskReport.placeholderOutcome)
            let outcomeRef = try #require(report.outcomeRef)
            let stored = try #require(try await store.get(outcomeRef))
            #expect(try JSONDecoder().decode(TaskOutcome.self, from: stored) == .succeeded(["big": .string(big)]))
        }
    }

    @Test func aStubWhosePayloadIsGoneReportsPayloadLost() async throws {
        try await withWorker { worker, _ in
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: ["n": 1])))
            let missing = PayloadReference.of(Data("never stored \(UUID())".utf8))
            try await worker.publish(bodies: [Array(try JSONEncoder().encode(task.stub(reference: missing)))])
            let report = try #require(try await worker.reports(1).first)
            #expect(report.taskID == task.taskID)
            guard case .failed(let failure) = report.outcome else {
                Issue.record("expected payload_lost, got \(report.outcome)")
                return
            }
            #expect(failure.errorClass == "payload_lost")
            #expect(report.outcomeRef == nil, "a small outcome travels in the report")
        }
    }
}
