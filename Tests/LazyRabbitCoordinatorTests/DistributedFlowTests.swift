import CoordinatorService
import DriverSupport
import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import PostgresDriver
import RabbitMQDriver
import RedisDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The distributed flow on the real servers: a coordinator (PostgreSQL store with outbox, relay,
/// report applier) and two workers in this process, under names no other test uses.
@Suite(.serialized) struct DistributedFlowTests {
    static let fanOut = """
        apiVersion: lazyrabbit/v1
        name: fan-out
        start: prepare
        timeout: 1h
        states:
          prepare: { type: task, callback: { type: handler, name: echo, input: { n: 1 } }, timeout: 1h, next: fan }
          fan:
            type: map
            items: "[1, 2, 3, 4, 5, 6, 7, 8]"
            output: results
            iterator:
              start: work
              states:
                work: { type: task, callback: { type: delay, duration: 150ms }, timeout: 1h, next: done }
                done: { type: succeed, result: "${item}" }
            next: nap
          nap: { type: wait, duration: 300ms, next: child }
          child: { type: task, callback: { type: workflow, workflow: greeter, input: { who: "ada" } }, output: greeting, next: finish }
          finish: { type: succeed }
        """

    static let greeter = """
        apiVersion: lazyrabbit/v1
        name: greeter
        start: greet
        states:
          greet: { type: task, callback: { type: handler, name: echo, input: { hello: "${input.who}" } }, output: message, next: end }
          end: { type: succeed }
        """

    @Test func executionsRunAcrossTwoWorkersWithTimersAndChildren() async throws {
        try await DistributedHarness.with(workers: 2) { cluster in
            let owner = Requester(user: "ada")
            _ = try await cluster.plane.createWorkflow(source: Self.greeter, by: owner)
            let (workflow, _) = try await cluster.plane.createWorkflow(source: Self.fanOut, by: owner)
            var ids: [String] = []
            for index in 0..<4 {
                let started = try await cluster.plane.startExecution(
                    workflowID: workflow.id, input: ["run": .integer(index)], idempotencyKey: "run-\(index)", by: owner)
                ids.append(started.record.id)
            }
            let again = try await cluster.plane.startExecution(workflowID: workflow.id, input: .emptyObject, idempotencyKey: "run-0", by: owner)
            #expect(again.record.id == ids[0] && !again.created, "a repeated idempotency key answers the first execution")

            for id in ids {
                let record = try await cluster.waitForTerminal(id, timeout: .seconds(60))
                #expect(record.status == .completed, "execution \(id) ended \(record.status): \(String(describing: record.error))")
                let transitions = try await cluster.store.transitions(executionID: id, afterSequence: 0)
                #expect(transitions.map(\.sequence) == Array(1...transitions.count), "sequence numbers are contiguous")
                #expect(transitions.filter { $0.kind == "state_entered" && $0.toState == "work" }.count == 8)
                let output = record.output?.objectValue
                #expect(output?["results"] == .array((1...8).map { .integer($0) }))
                #expect(output?["greeting"]?["message"]?["hello"] == .string("ada"), "the child's result reaches the parent")
            }
            let processed = cluster.workers.map { $0.counters.processed }
            #expect(processed.allSatisfy { $0 > 0 }, "both workers ran tasks: \(processed)")
            #expect(
                try await cluster.eventually(timeout: .seconds(10)) { try await cluster.unpublishedOutboxRows() == 0 },
                "the outbox marker catches up, and the timers of finished tasks and executions (due in an hour) are withdrawn")
        }
    }

    /// With room for one child per tree, a workflow's second child is refused: its task fails
    /// with `child_limit_exceeded` (never retried) after the first child ran.
    @Test func aTreeStartsNoMoreChildrenThanItsLimit() async throws {
        try await DistributedHarness.with(workers: 1, configure: { $0.childExecutionLimit = 1 }) { cluster in
            let owner = Requester(user: "ada")
            _ = try await cluster.plane.createWorkflow(source: Self.greeter, by: owner)
            let (workflow, _) = try await cluster.plane.createWorkflow(
                source: """
                    apiVersion: lazyrabbit/v1
                    name: greet-twice
                    start: first
                    states:
                      first: { type: task, callback: { type: workflow, workflow: greeter, input: { who: "ada" } }, output: one, next: second }
                      second:
                        type: task
                        callback: { type: workflow, workflow: greeter, input: { who: "bob" } }
                        retry: { max_attempts: 3, backoff: fixed, initial: 10ms, max: 10ms }
                        output: two
                        next: done
                      done: { type: succeed }
                    """, by: owner)
            let started = try await cluster.plane.startExecution(workflowID: workflow.id, input: .emptyObject, by: owner)
            let record = try await cluster.waitForTerminal(started.record.id, timeout: .seconds(60))
            #expect(record.status == .failed)
            #expect(record.error?["error"] == "child_limit_exceeded", "\(String(describing: record.error))")
            let children = try await cluster.store.executions(matching: ExecutionQuery(limit: 10)).executions.filter { $0.parentID == started.record.id }
            #expect(children.map(\.status) == [.completed], "the first child ran, the second never started")
            let transitions = try await cluster.store.transitions(executionID: started.record.id, afterSequence: 0)
            #expect(!transitions.contains { $0.kind == "retry_scheduled" }, "refused at once, though the state allows three attempts")
        }
    }

    @Test func operatorActionsPauseResumeAndCancel() async throws {
        let slow = """
            apiVersion: lazyrabbit/v1
            name: slow
            start: first
            states:
              first: { type: task, callback: { type: delay, duration: 300ms }, next: second }
              second: { type: task, callback: { type: delay, duration: 300ms }, next: long }
              long: { type: wait, duration: 1h, next: end }
              end: { type: succeed }
            """
        try await DistributedHarness.with(workers: 1) { cluster in
            let owner = Requester(user: "grace")
            let (workflow, _) = try await cluster.plane.createWorkflow(source: slow, by: owner)
            let id = try await cluster.plane.startExecution(workflowID: workflow.id, input: .emptyObject, by: owner).record.id
            try await cluster.plane.pause(executionID: id, by: owner)
            try await Task.sleep(for: .milliseconds(900))
            let paused = try await cluster.plane.execution(id: id, by: owner)
            #expect(paused.status == .paused)
            let enteredWhilePaused = try await cluster.store.transitions(executionID: id, afterSequence: 0)
            #expect(!enteredWhilePaused.contains { $0.kind == "state_completed" && $0.fromState == "second" }, "no new task ran while paused")
            try await cluster.plane.resume(executionID: id, by: owner)
            #expect(try await cluster.eventually(timeout: .seconds(20)) {
                try await cluster.plane.execution(id: id, by: owner).status == .waiting
            })
            try await cluster.plane.cancel(executionID: id, reason: "test", by: owner)
            #expect(try await cluster.plane.execution(id: id, by: owner).status == .cancelled)
            await #expect(throws: ControlPlaneError.self) { try await cluster.plane.cancel(executionID: id, reason: nil, by: owner) }
            await #expect(throws: ControlPlaneError.self) {
                _ = try await cluster.plane.execution(id: id, by: Requester(user: "mallory"))
            }
        }
    }

    @Test func cancellingAnExecutionStopsItsRunningTaskOnTheWorker() async throws {
        let long = """
            apiVersion: lazyrabbit/v1
            name: long
            start: nap
            states:
              nap: { type: task, callback: { type: delay, duration: 10s }, next: end }
              end: { type: succeed }
            """
        try await DistributedHarness.with(workers: 2) { cluster in
            let owner = Requester(user: "hopper")
            let (workflow, _) = try await cluster.plane.createWorkflow(source: long, by: owner)
            let id = try await cluster.plane.startExecution(workflowID: workflow.id, input: .emptyObject, by: owner).record.id
            let inFlight = { cluster.workers.map(\.counters.inFlight).reduce(0, +) }
            let cancelledTasks = { cluster.workers.map(\.counters.cancelled).reduce(0, +) }
            #expect(try await cluster.eventually(timeout: .seconds(10)) { inFlight() == 1 })
            let cancelled = ContinuousClock.now
            try await cluster.plane.cancel(executionID: id, reason: "test", by: owner)
            #expect(try await cluster.plane.execution(id: id, by: owner).status == .cancelled)
            #expect(try await cluster.eventually(timeout: .seconds(5)) { cancelledTasks() == 1 && inFlight() == 0 })
            let stoppedAfter = ContinuousClock.now - cancelled
            #expect(stoppedAfter < .milliseconds(1500), "the 10 s delay stopped \(stoppedAfter) after the cancel")
            #expect(cluster.workers.map(\.counters.processed).reduce(0, +) == 0, "no report for the cancelled task")
            #expect(try await cluster.eventually(timeout: .seconds(10)) { try await cluster.unpublishedOutboxRows() == 0 })
        }
    }
}
