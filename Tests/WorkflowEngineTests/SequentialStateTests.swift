import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct SequentialStateTests {
    @Test func chainStoresEachResultAtItsOutputAndCompletes() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: chain
            start: a
            states:
              a: { type: task, callback: { type: handler, name: echo, input: { n: 1 } }, output: first, next: b }
              b: { type: task, callback: { type: handler, name: echo, input: { n: "${first.n + 1}" } }, output: second, next: done }
              done: { type: succeed }
            """, respond: { task in
                guard case .handler(let handler) = task.callback else { return nil }
                return .succeeded(handler.input ?? .null)
            })
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?.value(atPath: "first.n") == .integer(1))
        #expect(simulation.instance.output?.value(atPath: "second.n") == .integer(2))
        #expect(simulation.entered() == ["a", "b", "done"])
        #expect(simulation.transitions.map(\.sequence) == Array(1...simulation.transitions.count))
        #expect(simulation.transitions.last?.kind == "execution_completed")
    }

    @Test func choiceFollowsTheFirstMatchingRuleThenTheDefault() throws {
        let yaml = """
            apiVersion: lazyrabbit/v1
            name: route
            start: route
            states:
              route:
                type: choice
                choices:
                  - when: "input.tier == 'gold'"
                    next: vip
                  - when: "input.amount > 100"
                    next: big
                default: standard
              vip: { type: succeed, result: "vip" }
              big: { type: succeed, result: "big" }
              standard: { type: succeed, result: "standard" }
            """
        for (input, expected) in [(["tier": "gold", "amount": 500], "vip"), (["tier": "x", "amount": 500], "big"), (["tier": "x", "amount": 5], "standard")] as [(JSONValue, String)] {
            var simulation = try Simulation(yaml, input: input)
            simulation.run()
            #expect(simulation.entered().last == expected)
            #expect(simulation.transitions("choice_made").first?.toState == expected)
        }
    }

    @Test func choiceWithANonBooleanConditionFailsWithAnExpressionError() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: bad-choice
            start: route
            states:
              route:
                type: choice
                choices: [ { when: "input.name", next: done } ]
                default: done
              done: { type: succeed }
            """, input: ["name": "x"])
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "expression_error")
    }

    @Test func transformPassAndSucceedRunInlineWithoutDispatching() throws {
        let simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: inline
            start: set
            states:
              set:
                type: task
                callback: { type: transform, set: { total: "${input.price * input.quantity}", label: "order ${input.id}" } }
                next: constant
              constant: { type: pass, result: { currency: EUR }, output: money, next: done }
              done: { type: succeed, result: "${total}" }
            """, input: ["price": 3, "quantity": 4, "id": "A7"])
        #expect(simulation.queued.isEmpty)
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["total"] == .integer(12))
        #expect(simulation.instance.output?["label"] == "order A7")
        #expect(simulation.instance.output?.value(atPath: "money.currency") == "EUR")
    }

    @Test func failStateEndsTheExecutionWithItsErrorClass() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: fails
            start: stop
            states:
              stop: { type: fail, error: validation_failed, cause: "bad email ${input.email}" }
            """, input: ["email": "nope"])
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error == TaskFailure(errorClass: "validation_failed", message: "bad email nope"))
    }

    @Test func inputSchemaRequiresFieldsChecksTypesAndFillsDefaults() throws {
        let yaml = """
            apiVersion: lazyrabbit/v1
            name: schema
            start: done
            input:
              fields:
                email: { type: string, required: true }
                count: { type: integer, default: 3 }
            states:
              done: { type: succeed }
            """
        #expect(throws: InputValidationError.self) { try Simulation(yaml, input: ["count": 1]) }
        #expect(throws: InputValidationError.self) { try Simulation(yaml, input: ["email": 5]) }
        let simulation = try Simulation(yaml, input: ["email": "a@b.c"])
        #expect(simulation.instance.input["count"] == .integer(3))
    }

    @Test func aLoopBeyondItsVisitBoundFailsWithLoopLimit() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: loop
            start: poll
            states:
              poll: { type: task, callback: { type: handler, name: check }, output: status, max_visits: 5, next: again }
              again:
                type: choice
                choices: [ { when: "status == 'done'", next: finish } ]
                default: poll
              finish: { type: succeed }
            """, respond: { _ in .succeeded("pending") })
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "loop_limit")
        #expect(simulation.entered().filter { $0 == "poll" }.count == 6)
    }
}
