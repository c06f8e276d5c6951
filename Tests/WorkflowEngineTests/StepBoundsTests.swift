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

/// One engine step starts at most `mapStartsPerStep` map iterations: iterations that finish at
/// once (`pass` states) would otherwise run a map of any size in one call.
@Suite struct MapStartsPerStepTests {
    static let workflow = """
        apiVersion: lazyrabbit/v1
        name: wide
        start: each
        states:
          each:
            type: map
            items: "input.items"
            iterator: { start: echo, states: { echo: { type: pass, result: "${item}", end: true } } }
            output: echoed
            next: done
          done: { type: succeed }
        """

    @Test func aWideMapGoesOnInLaterStepsAndKeepsItsOrder() throws {
        let items = JSONValue.array((0..<25).map { .integer($0) })
        var simulation = try Simulation(Self.workflow, input: ["items": items], limits: ExecutionLimits(mapStartsPerStep: 10))
        #expect(simulation.instance.status == .running)
        #expect(simulation.instance.fanOuts.values.first?.started == 10, "the first step started 10 iterations")
        #expect(simulation.timers[WorkflowEngine.continueTimerID] != nil, "and set the timer that goes on at once")
        simulation.run()
        #expect(simulation.instance.status == .completed)
        let echoedInOrder = simulation.instance.output?["echoed"] == items
        #expect(echoedInOrder, "every item's result, in item order")
    }

    @Test func aMapWithinTheBoundRunsInOneStep() throws {
        let simulation = try Simulation(Self.workflow, input: ["items": .array((0..<10).map { .integer($0) })])
        #expect(simulation.instance.status == .completed)
    }

    /// The map the timer was set for failed meanwhile: the fire starts nothing, yet is recorded,
    /// so the step is stored with the timer gone and a later map at the bound sets a new one.
    @Test func aContinueTimerThatFindsNothingIsStillRecorded() throws {
        let failing = """
            apiVersion: lazyrabbit/v1
            name: failing-map
            start: each
            states:
              each:
                type: map
                items: "input.items"
                iterator:
                  start: check
                  states:
                    check: { type: choice, choices: [ { when: "item == 1", next: broken } ], default: fine }
                    broken: { type: fail, error: broken }
                    fine: { type: succeed }
                catch: [ { errors: [broken], next: hold } ]
                next: hold
              hold: { type: wait, signal: go, next: done }
              done: { type: succeed }
            """
        var simulation = try Simulation(failing, input: ["items": [0, 1, 2, 3]], limits: ExecutionLimits(mapStartsPerStep: 2))
        #expect(simulation.timers[WorkflowEngine.continueTimerID] != nil)
        let fired = simulation.apply(.timerFired(timerID: WorkflowEngine.continueTimerID))
        #expect(fired.transitions.map(\.kind) == ["maps_continued"], "never a no-op")
        #expect(fired.instance.timers[WorkflowEngine.continueTimerID] == nil)
    }
}
