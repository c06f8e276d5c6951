import Foundation
import LazyRabbitWorker
import RedisDriver
import Synchronization
import Testing
import WorkflowDSL
import WorkflowDrivers
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
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 0)
        }
    }

    /// Many tasks at once (their reports share confirm round trips through group publishing):
    /// every task is reported exactly once and acked.
    @Test func manyTasksAtOnceAreEachReportedOnce() async throws {
        try await withWorker({ $0.concurrency = 16 }) { worker, _ in
            let tasks = (0..<60).map { index in worker.task(.handler(HandlerCallback(name: "echo", input: ["n": .integer(index)]))) }
            try await worker.publish(bodies: try tasks.map { Array(try JSONEncoder().encode($0)) })
            let reports = try await worker.reports(60)
            #expect(reports.count == 60)
            #expect(Set(reports.map(\.taskID)) == Set(tasks.map(\.taskID)))
            #expect(try await worker.eventually { worker.service.counters.processed == 60 })
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 0)
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
            // The duplicate came back later and was acked without running: no second report comes.
            let more = try await worker.reports(1, timeout: .seconds(4))
            #expect(more.isEmpty)
            #expect(worker.logs.all.contains { $0.contains("runs elsewhere") })
            #expect(worker.logs.all.contains { $0.contains("already reported") })
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 0)
        }
    }

    @Test func aTaskWhoseLockADeadWorkerStillHoldsRunsOnceTheLockExpires() async throws {
        try await withWorker { worker, _ in
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: "after the crash")))
            // A worker killed mid-task leaves its lock behind until the TTL runs out.
            let locks = RedisLockService(pool: worker.pool, keyPrefix: worker.configuration.redisKeyPrefix)
            let orphan = try #require(try await locks.acquire(task.taskID, ttlMilliseconds: 1_500))
            try await worker.publish(task)
            let reports = try await worker.reports(1, timeout: .seconds(15))
            #expect(reports.map(\.taskID) == [task.taskID], "the task is not dropped")
            #expect(reports.first?.outcome == .succeeded("after the crash"))
            #expect((reports.first?.fencingToken ?? 0) > orphan.fencingToken)
            #expect(worker.logs.all.contains { $0.contains("runs elsewhere") })
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
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 0)
        }
    }

    @Test func drainGivesBackWhatDoesNotFinishWithinTheGracePeriod() async throws {
        try await withWorker({ $0.drainGracePeriod = .milliseconds(300) }) { worker, running in
            try await worker.publish(worker.task(.delay(DelayCallback(duration: .seconds(5))), timeout: 10_000))
            #expect(try await worker.eventually { worker.service.counters.inFlight == 1 })
            running.cancel()
            try await running.value
            #expect(worker.service.counters.processed == 0)
            #expect(try await worker.eventually { try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 1 })
            #expect(try await worker.reports(1, timeout: .milliseconds(500)).isEmpty)
        }
    }

    @Test func runsAtMostConcurrencyCallbacksAtOnce() async throws {
        try await withWorker({ $0.concurrency = 2 }) { worker, _ in
            let tasks = (0..<4).map { _ in worker.task(.delay(DelayCallback(duration: WorkflowDuration(milliseconds: 600)))) }
            try await worker.publish(bodies: try tasks.map { Array(try JSONEncoder().encode($0)) })
            let peak = Mutex(0)
            let watcher = Task {
                while !Task.isCancelled {
                    let now = worker.service.runningCallbacks
                    peak.withLock { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            let reports = try await worker.reports(4)
            watcher.cancel()
            #expect(Set(reports.map(\.taskID)) == Set(tasks.map(\.taskID)))
            #expect(peak.withLock { $0 } == 2)
        }
    }

    @Test func aCancelTaskControlMessageStopsTheTaskWhichIsAckedWithoutAReport() async throws {
        try await withWorker { worker, running in
            let task = worker.task(.delay(DelayCallback(duration: .seconds(10))), timeout: 20_000)
            try await worker.publish(task)
            #expect(try await worker.eventually { worker.service.counters.inFlight == 1 })
            let sent = ContinuousClock.now
            try await worker.publish(control: ControlMessage(command: .cancelTask, executionID: task.executionID, taskID: task.taskID))
            #expect(try await worker.eventually { worker.service.counters.cancelled == 1 && worker.service.counters.inFlight == 0 })
            #expect(ContinuousClock.now - sent < .seconds(2), "the 10 s delay stopped early")
            #expect(worker.service.counters.processed == 0)
            #expect(worker.logs.all.contains { $0.contains("stopped by a control message") })

            // A redelivered copy is acked without running.
            try await worker.publish(task)
            #expect(try await worker.eventually { worker.service.counters.cancelled == 2 })
            #expect(worker.service.counters.inFlight == 0)
            #expect(try await worker.reports(1, timeout: .milliseconds(500)).isEmpty, "no report for a cancelled task")

            // Stopping the worker would give back anything unacked: the queue stays empty, so both were acked.
            running.cancel()
            try await running.value
            #expect(try await worker.messages(in: worker.topology.taskQueue(worker.queue, lane: 0)) == 0)
            #expect(try await worker.messages(in: worker.topology.deadLetterQueue(worker.queue)) == 0)
        }
    }

    @Test func aCancelTaskForATaskNotRunningHereChangesNothing() async throws {
        try await withWorker { worker, _ in
            try await worker.publish(control: ControlMessage(command: .cancelTask, executionID: "elsewhere", taskID: "elsewhere/main/s/1#1"))
            let task = worker.task(.handler(HandlerCallback(name: "echo", input: 1)))
            try await worker.publish(task)
            #expect(try await worker.reports(1).map(\.taskID) == [task.taskID])
            #expect(worker.service.counters.cancelled == 0)
        }
    }

    @Test func aDrainControlMessageDrainsTheWorker() async throws {
        try await withWorker { worker, running in
            let task = worker.task(.delay(DelayCallback(duration: WorkflowDuration(milliseconds: 500))))
            try await worker.publish(task)
            #expect(try await worker.eventually { worker.service.counters.inFlight == 1 })
            try await worker.publish(control: ControlMessage(command: .drain))
            try await running.value   // returns without being cancelled
            #expect(worker.service.isDraining)
            #expect(worker.service.counters.processed == 1, "the task in flight finished")
            #expect(try await worker.reports(1).map(\.taskID) == [task.taskID])
        }
    }
}
