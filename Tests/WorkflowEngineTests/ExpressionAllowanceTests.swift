import Testing
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// One engine step's expressions share one allowance: a map whose iterations each evaluate an
/// expensive expression cannot hold the step (and its coordinator shard) for long.
@Suite struct ExpressionAllowanceTests {
    static let workflow = """
        apiVersion: lazyrabbit/v1
        name: scan
        start: each
        states:
          each:
            type: map
            items: "input.items"
            iterator:
              start: check
              states:
                check:
                  type: choice
                  choices: [ { when: "input.text.contains('b')", next: found } ]
                  default: clean
                found: { type: fail, error: found }
                clean: { type: succeed }
            next: done
          done: { type: succeed }
        """

    /// Each `contains` over 256 KB costs ~1 000 steps (of its own 10 000).
    static func input(items: Int) -> JSONValue {
        ["text": .string(String(repeating: "a", count: 256_000)), "items": .array((0..<items).map { .integer($0) })]
    }

    static let limits = ExecutionLimits(expressionStepsPerStep: 50_000)

    @Test func aStepWithinTheAllowanceRunsEveryExpression() throws {
        let simulation = try Simulation(Self.workflow, input: Self.input(items: 40), limits: Self.limits)
        #expect(simulation.instance.status == .completed, "\(String(describing: simulation.instance.error))")
    }

    @Test func aStepPastTheAllowanceFailsTheExpressionThatRanOut() throws {
        let simulation = try Simulation(Self.workflow, input: Self.input(items: 60), limits: Self.limits)
        #expect(simulation.instance.status == .failed)
        let error = try #require(simulation.instance.error)
        #expect(error.errorClass == "expression_error")
        #expect(error.message.contains("used up the 50000 evaluation steps they share"), "\(error.message)")
    }
}
