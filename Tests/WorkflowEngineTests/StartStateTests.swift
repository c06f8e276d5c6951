import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct StartStateTests {
    static let workflow = """
        apiVersion: lazyrabbit/v1
        name: retryable
        start: a
        states:
          a: { type: task, callback: { type: handler, name: echo, input: { n: 1 } }, output: first, next: b }
          b: { type: task, callback: { type: handler, name: echo, input: { n: "${first.n + 10}" } }, output: second, next: split }
          split:
            type: parallel
            branches:
              - start: inner
                states:
                  inner: { type: succeed }
            next: done
          done: { type: succeed }
        """

    static func echo(_ task: StateTask) -> TaskOutcome? {
        guard case .handler(let handler) = task.callback else { return nil }
        return .succeeded(handler.input ?? .null)
    }

    @Test func startsAtTheChosenStateWithTheGivenContext() throws {
        var simulation = try Simulation(Self.workflow, startState: "b", context: ["first": ["n": 5]], respond: Self.echo)
        #expect(simulation.transitions.first?.kind == "execution_started")
        #expect(simulation.transitions.first?.toState == "b")
        #expect(simulation.queued.map(\.state) == ["b"], "a is skipped")
        #expect(simulation.instance.context["first"] == ["n": 5])
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.entered().first == "b")
        #expect(!simulation.entered().contains("a"))
        #expect(simulation.instance.output?.value(atPath: "second.n") == .integer(15), "b read the given context")
        #expect(simulation.instance.output?.value(atPath: "first.n") == .integer(5))
    }

    @Test func withoutAStartStateItBeginsAtTheWorkflowsStartWithAnEmptyContext() throws {
        let simulation = try Simulation(Self.workflow, respond: { _ in nil })
        #expect(simulation.transitions.first?.toState == "a")
        #expect(simulation.queued.map(\.state) == ["a"])
        #expect(simulation.instance.context == .emptyObject)
    }

    @Test(arguments: ["nope", "inner"])
    func refusesAStateThatIsNotTopLevel(state: String) throws {
        let document = WorkflowDocument.load(Self.workflow)
        let engine = WorkflowEngine(CompiledWorkflow(try #require(document.definition)))
        let error = #expect(throws: InputValidationError.self) {
            try engine.start(executionID: "exec", input: .emptyObject, now: Date(), startState: state)
        }
        #expect(error?.problems.first?.contains("`\(state)`") == true)
    }
}
