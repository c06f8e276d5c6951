import Foundation
import Testing
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct PauseTests {
    static let chain = """
        apiVersion: lazyrabbit/v1
        name: chain
        start: a
        states:
          a: { type: task, callback: { type: handler, name: echo, input: "A" }, next: b }
          b: { type: task, callback: { type: handler, name: echo, input: "B" }, next: done }
          done: { type: succeed }
        """

    /// `p` runs alone while `q` goes on to three parallel tasks.
    static let branches = """
        apiVersion: lazyrabbit/v1
        name: branches
        start: split
        states:
          split:
            type: parallel
            branches:
              - start: p
                states:
                  p: { type: task, callback: { type: handler, name: echo, input: "P" }, end: true }
              - start: q
                states:
                  q: { type: task, callback: { type: handler, name: echo, input: "Q" }, next: fan }
                  fan:
                    type: parallel
                    branches:
                      - start: x
                        states: { x: { type: task, callback: { type: handler, name: echo, input: "X" }, end: true } }
                      - start: y
                        states: { y: { type: task, callback: { type: handler, name: echo, input: "Y" }, end: true } }
                      - start: z
                        states: { z: { type: task, callback: { type: handler, name: echo, input: "Z" }, end: true } }
                    end: true
            next: done
          done: { type: succeed }
        """

    static func dispatched(_ step: EngineStep) -> [StateTask] {
        step.effects.compactMap { if case .dispatch(let task) = $0 { task } else { nil } }
    }

    static func task(_ simulation: Simulation, state: String) throws -> StateTask {
        try #require(simulation.queued.first { $0.state == state })
    }

    @Test func whilePausedReportsAreRecordedButNewTasksAreHeld() throws {
        var simulation = try Simulation(Self.chain, respond: { _ in nil })
        let a = try Self.task(simulation, state: "a")

        let paused = simulation.apply(.pause(by: "ops"))
        #expect(paused.transitions.map(\.kind) == ["execution_paused"])
        #expect(paused.transitions.first?.details["by"] == "ops")
        #expect(Self.dispatched(paused).isEmpty)
        #expect(simulation.instance.status == .paused)

        let reported = simulation.apply(.taskCompleted(taskID: a.taskID, outcome: .succeeded("A")))
        #expect(reported.transitions.contains { $0.kind == "state_entered" && $0.toState == "b" }, "the running task's report is recorded")
        #expect(Self.dispatched(reported).isEmpty, "b is not dispatched while paused")
        #expect(simulation.instance.status == .paused)
        let held = try #require(simulation.instance.heldTasks)
        #expect(held.count == 1)
        #expect(simulation.instance.pendingTasks[held[0]]?.state == "b")

        let resumed = simulation.apply(.resume(by: "ops"))
        #expect(resumed.transitions.first?.kind == "execution_resumed")
        #expect(resumed.transitions.first?.details["released_tasks"] == 1)
        #expect(Self.dispatched(resumed).map(\.taskID) == held)
        #expect(simulation.instance.status == .running)
        #expect(simulation.instance.heldTasks == nil)
        #expect(simulation.instance.paused == nil)

        simulation.respond = { _ in .succeeded(.null) }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.entered() == ["a", "b", "done"])
    }

    @Test func resumeReleasesHeldTasksInTheOrderTheyWereHeld() throws {
        // The order the tasks go out in without a pause.
        var unpaused = try Simulation(Self.branches, respond: { _ in nil })
        unpaused.apply(.taskCompleted(taskID: try Self.task(unpaused, state: "q").taskID, outcome: .succeeded("Q")))
        let expected = unpaused.queued.map(\.state).filter { ["x", "y", "z"].contains($0) }
        #expect(Set(expected) == ["x", "y", "z"])

        var simulation = try Simulation(Self.branches, respond: { _ in nil })
        simulation.apply(.pause(by: nil))
        let reported = simulation.apply(.taskCompleted(taskID: try Self.task(simulation, state: "q").taskID, outcome: .succeeded("Q")))
        #expect(Self.dispatched(reported).isEmpty)
        #expect(simulation.instance.heldTasks?.count == 3)
        let resumed = simulation.apply(.resume(by: nil))
        #expect(Self.dispatched(resumed).map(\.state) == expected)
        #expect(Self.dispatched(resumed).map(\.taskID) == unpaused.queued.filter { expected.contains($0.state) }.map(\.taskID))
    }

    @Test func recoverDispatchesRunningTasksButNotHeldOnes() throws {
        var simulation = try Simulation(Self.branches, respond: { _ in nil })
        let p = try Self.task(simulation, state: "p")
        simulation.apply(.pause(by: nil))
        simulation.apply(.taskCompleted(taskID: try Self.task(simulation, state: "q").taskID, outcome: .succeeded("Q")))
        #expect(simulation.instance.heldTasks?.count == 3)

        // A restarted coordinator reloads the snapshot and recovers it.
        let recovered = simulation.engine.recover(simulation.instance)
        let redispatched = recovered.compactMap { if case .dispatch(let task) = $0 { task.taskID } else { nil } }
        #expect(redispatched == [p.taskID], "p was running before the pause; x, y and z wait for resume")
    }

    @Test func pausingTwiceOrResumingARunningExecutionChangesNothing() throws {
        var simulation = try Simulation(Self.chain, respond: { _ in nil })
        #expect(simulation.apply(.resume(by: "ops")).isNoOp, "resume while running")
        simulation.apply(.pause(by: "ops"))
        let before = simulation.instance
        let again = simulation.apply(.pause(by: "someone else"))
        #expect(again.isNoOp)
        #expect(simulation.instance == before)
        #expect(simulation.transitions("execution_paused").count == 1)
    }
}
