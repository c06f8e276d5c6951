import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct IdempotencyTests {
    static let twoSteps = """
        apiVersion: lazyrabbit/v1
        name: two
        start: a
        states:
          a: { type: task, callback: { type: handler, name: echo }, retry: { max_attempts: 2, initial: 1s }, next: b }
          b: { type: task, callback: { type: handler, name: echo }, next: done }
          done: { type: succeed }
        """

    @Test func aRepeatedReportChangesNothing() throws {
        var simulation = try Simulation(Self.twoSteps, respond: { _ in nil })
        let task = try #require(simulation.queued.first)
        simulation.apply(.taskCompleted(taskID: task.taskID, outcome: .succeeded(1)))
        let afterFirst = simulation.instance
        let repeated = simulation.engine.apply(.taskCompleted(taskID: task.taskID, outcome: .succeeded(2)), to: afterFirst, now: simulation.now)
        #expect(repeated.isNoOp)
        #expect(repeated.instance == afterFirst)
    }

    @Test func aLateReportOfAnAttemptThatWasRetriedIsIgnored() throws {
        var simulation = try Simulation(Self.twoSteps, respond: { _ in nil })
        let first = try #require(simulation.queued.first)
        simulation.apply(.taskCompleted(taskID: first.taskID, outcome: .failed(TaskFailure(errorClass: "x", message: "x"))))
        simulation.run()  // fires the retry timer: attempt 2 is dispatched
        let second = try #require(simulation.queued.last)
        #expect(second.attempt == 2)
        let late = simulation.engine.apply(.taskCompleted(taskID: first.taskID, outcome: .succeeded("late")), to: simulation.instance, now: simulation.now)
        #expect(late.isNoOp)
    }

    @Test func aTimerThatAlreadyFiredOrWasCancelledIsIgnored() throws {
        let simulation = try Simulation(WaitingTests.signalWait)
        let step = simulation.engine.apply(.timerFired(timerID: "no-such-timer"), to: simulation.instance, now: simulation.now)
        #expect(step.isNoOp)
    }

    @Test func terminalExecutionsIgnoreEveryEvent() throws {
        var simulation = try Simulation(Self.twoSteps)
        simulation.run()
        #expect(simulation.instance.status == .completed)
        for event: EngineEvent in [.cancel(reason: nil), .signal(name: "x", payload: nil), .timerFired(timerID: "workflow-timeout")] {
            #expect(simulation.engine.apply(event, to: simulation.instance, now: simulation.now).isNoOp)
        }
    }

    @Test func cancelStopsRunningTasksAndTimers() throws {
        var simulation = try Simulation(Self.twoSteps, respond: { _ in nil })
        let task = try #require(simulation.queued.first)
        simulation.apply(.cancel(reason: "operator"))
        #expect(simulation.instance.status == .cancelled)
        #expect(simulation.effects.contains(.cancelTask(taskID: task.taskID)))
        #expect(simulation.effects.contains(.finished(.cancelled)))
        #expect(simulation.instance.pendingTasks.isEmpty)
    }

    @Test func recoverReissuesPendingTasksAndTimersFromTheSnapshotAlone() throws {
        let simulation = try Simulation(Self.twoSteps, respond: { _ in nil })
        let encoded = try JSONEncoder().encode(simulation.instance)
        let restored = try JSONDecoder().decode(ExecutionInstance.self, from: encoded)
        #expect(restored == simulation.instance)
        let effects = simulation.engine.recover(restored)
        #expect(effects == simulation.queued.map(EngineEffect.dispatch))
    }

    /// A task whose timeout passed while nothing ran (a killed `lazyrabbit run`, a coordinator
    /// down) is not sent again on recovery: its timeout fires at once instead.
    @Test func recoverDoesNotResendATaskPastItsTimeout() throws {
        let workflow = """
            apiVersion: lazyrabbit/v1
            name: slow
            start: call
            states:
              call: { type: task, callback: { type: handler, name: slow }, timeout: 30s, end: true }
            """
        let simulation = try Simulation(workflow, respond: { _ in nil })
        let task = try #require(simulation.queued.first)
        #expect(simulation.engine.recover(simulation.instance, now: simulation.now.addingTimeInterval(10)).contains(.dispatch(task)))
        let late = simulation.engine.recover(simulation.instance, now: simulation.now.addingTimeInterval(31))
        #expect(!late.contains(.dispatch(task)))
        #expect(late.contains { if case .scheduleTimer(let id, _) = $0 { id.hasPrefix("timeout|") } else { false } }, "the timeout is set again")
    }

    @Test func replayingTheSameEventsGivesTheSameTransitions() throws {
        var first = try Simulation(ErrorHandlingTests.retrying, respond: ErrorHandlingTests.flaky(failures: 2))
        var second = try Simulation(ErrorHandlingTests.retrying, respond: ErrorHandlingTests.flaky(failures: 2))
        first.run()
        second.run()
        #expect(first.transitions == second.transitions)
    }
}
