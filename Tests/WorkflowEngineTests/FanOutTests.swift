import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct FanOutTests {
    @Test func parallelBranchesRunAtOnceAndJoinInBranchOrder() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: setup
            start: setup
            states:
              setup:
                type: parallel
                output: results
                branches:
                  - start: a
                    states:
                      a: { type: task, callback: { type: handler, name: echo, input: "A" }, end: true }
                  - start: b
                    states:
                      b: { type: task, callback: { type: handler, name: echo, input: "B" }, next: b2 }
                      b2: { type: succeed, result: "B2" }
                next: done
              done: { type: succeed }
            """, respond: { _ in nil })
        #expect(simulation.queued.count == 2, "both branches dispatch before either reports")
        simulation.respond = { task in
            guard case .handler(let handler) = task.callback else { return nil }
            return .succeeded(handler.input ?? .null)
        }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["results"] == ["A", "B2"])
        let cancels = simulation.effects.filter { if case .cancelTask = $0 { true } else { false } }
        #expect(cancels.isEmpty, "a branch ending after its task reported cancels nothing: \(cancels)")
    }

    @Test func aFailingBranchCancelsItsSiblingsAndIsCaughtByTheParallelState() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: failing-branch
            start: setup
            states:
              setup:
                type: parallel
                catch: [ { errors: [boom], next: cleanup, output: why } ]
                branches:
                  - start: bad
                    states:
                      bad: { type: task, callback: { type: handler, name: fail }, end: true }
                  - start: slow
                    states:
                      slow: { type: task, callback: { type: handler, name: slow }, end: true }
                next: done
              cleanup: { type: succeed }
              done: { type: succeed }
            """, respond: { task in task.state == "bad" ? .failed(TaskFailure(errorClass: "boom", message: "no")) : nil })
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.entered() == ["setup", "cleanup"])
        #expect(simulation.instance.output?.value(atPath: "why.error") == "boom")
        #expect(simulation.effects.contains { $0 == .cancelTask(taskID: "exec/main/setup[1]/slow/1#1") })
        #expect(simulation.instance.threads.keys.sorted() == [])
    }

    static let map = """
        apiVersion: lazyrabbit/v1
        name: lines
        start: each
        states:
          each:
            type: map
            items: "input.lines"
            max_concurrency: 2
            output: priced
            iterator:
              start: price
              states:
                price: { type: task, callback: { type: handler, name: price, input: { sku: "${item.sku}", position: "${index}" } }, end: true }
            next: done
          done: { type: succeed }
        """

    @Test func mapHonoursMaxConcurrencyAndKeepsItemOrder() throws {
        let lines: JSONValue = ["lines": [["sku": "a"], ["sku": "b"], ["sku": "c"], ["sku": "d"], ["sku": "e"]]]
        var simulation = try Simulation(Self.map, input: lines, respond: { _ in nil })
        #expect(simulation.queued.count == 2)
        var peak = 0
        simulation.respond = { task in
            guard case .handler(let handler) = task.callback else { return nil }
            return .succeeded(handler.input?["sku"] ?? .null)
        }
        while !simulation.instance.status.isTerminal, let task = simulation.queued.last {
            peak = max(peak, simulation.queued.count)
            simulation.queued.removeLast()
            simulation.apply(.taskCompleted(taskID: task.taskID, outcome: simulation.respond(task)!))
        }
        #expect(peak == 2)
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["priced"] == ["a", "b", "c", "d", "e"])
    }

    /// Each entry of a map state runs in threads of its own (`each#2[0]` the second time), so the
    /// iterations' loop counters can be dropped when they end without task ids repeating.
    @Test func aMapEnteredAgainRunsInNewThreadsAndKeepsNoCountersOfTheOldOnes() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: rounds
            start: init
            states:
              init: { type: task, callback: { type: transform, set: { round: 0 } }, next: each }
              each:
                type: map
                items: "input.items"
                output: last
                iterator: { start: work, states: { work: { type: task, callback: { type: handler, name: work, input: "${item}" }, end: true } } }
                next: count
              count: { type: task, callback: { type: transform, set: { round: "${round + 1}" } }, next: again }
              again:
                type: choice
                choices: [ { when: "round < 3", next: each } ]
                default: done
              done: { type: succeed }
            """, input: ["items": [1, 2]], respond: { task in
                guard case .handler(let handler) = task.callback else { return nil }
                return .succeeded(handler.input ?? .null)
            })
        simulation.run()
        #expect(simulation.instance.status == .completed)
        let taskIDs = simulation.effects.compactMap { if case .dispatch(let task) = $0 { task.taskID } else { nil } }
        #expect(taskIDs == [
            "exec/main/each[0]/work/1#1", "exec/main/each[1]/work/1#1", "exec/main/each#2[0]/work/1#1", "exec/main/each#2[1]/work/1#1",
            "exec/main/each#3[0]/work/1#1", "exec/main/each#3[1]/work/1#1",
        ])
        #expect(simulation.instance.visits.keys.allSatisfy { $0.hasPrefix("main|") }, "\(simulation.instance.visits)")
    }

    @Test func mapOverAnEmptyListCompletesWithAnEmptyList() throws {
        var simulation = try Simulation(Self.map, input: ["lines": []])
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["priced"] == [])
    }

    @Test func mapOverSomethingThatIsNotAListFails() throws {
        var simulation = try Simulation(Self.map, input: ["lines": "abc"])
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "expression_error")
    }
}
