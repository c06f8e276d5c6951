import Foundation
import LazyRabbitWorker
import RedisDriver
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// The worker against the real RabbitMQ and Redis: each test on its own queues and keys.
@Suite struct WorkerServiceTests {
    @Test func handlerTaskReportsSucceededWithFencingTokenAndIsAcked() async throws {
        try await withWorker { worker, _ in
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: ["greeting": "hi"])))
            try await worker.publish(task)
            let reports = try await worker.reports(1)
            let report = try #require(reports.first)
            #expect(report.taskID == task.taskID)
            #expect(report.outcome == .succeeded(["greeting": "hi"]))
            #expect(report.workerID == worker.configuration.workerID)
            #expect((report.fencingToken ?? 0) > 0)
            #expect(try await worker.eventually { worker.service.counters.processed == 1 })
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue)) == 0)
        }
    }

    @Test func failingHandlerReportsFailedWithItsClass() async throws {
        try await withWorker { worker, _ in
            try await worker.publish(worker.task(.handler(HandlerCallback(name: "fail", input: ["error": "card_declined"]))))
            let report = try #require(try await worker.reports(1).first)
            guard case .failed(let failure) = report.outcome else {
                Issue.record("expected a failure, got \(report.outcome)")
                return
            }
            #expect(failure.errorClass == "card_declined")
        }
    }

    @Test func duplicateDeliveryWhileRunningRunsOnce() async throws {
        try await withWorker { worker, _ in
            let task = worker.task(.delay(DelayCallback(duration: .seconds(1))))
            try await worker.publish(task, task)
            let first = try await worker.reports(1)
            #expect(first.map(\.taskID) == [task.taskID])
            // The duplicate was acked without running: no second report comes.
            let more = try await worker.reports(1, timeout: .seconds(2))
            #expect(more.isEmpty)
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue)) == 0)
        }
    }

    @Test func garbageIsDeadLetteredAndTheWorkerKeepsGoing() async throws {
        try await withWorker { worker, _ in
            try await worker.publish(bodies: [Array("not a task".utf8), Array(#"{"version": 99}"#.utf8)])
            #expect(try await worker.eventually { try await worker.messages(in: worker.topology.deadLetterQueue(worker.queue)) == 2 })
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: 1)))
            try await worker.publish(task)
            #expect(try await worker.reports(1).map(\.taskID) == [task.taskID])
        }
    }

    @Test func drainFinishesTheTaskInFlightReportsAndRemovesTheHeartbeat() async throws {
        try await withWorker { worker, running in
            let registry = WorkerRegistry(pool: worker.pool, keyPrefix: worker.configuration.redisKeyPrefix)
            let id = worker.configuration.workerID
            let task = worker.task(.delay(DelayCallback(duration: .seconds(2))))
            try await worker.publish(task)
            #expect(try await worker.eventually { worker.service.counters.inFlight == 1 })
            #expect(try await worker.eventually { try await registry.workers().contains { $0.workerID == id } })
            running.cancel()
            try await running.value
            #expect(worker.service.counters.processed == 1)
            #expect(try await worker.reports(1).first?.outcome == .succeeded(.null))
            #expect(try await !registry.workers().contains { $0.workerID == id })
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue)) == 0)
        }
    }
}
