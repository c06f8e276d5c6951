import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct WaitingTests {
    @Test func waitStateSleepsForItsDuration() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: cool-off
            start: cool
            states:
              cool: { type: wait, duration: 1d, next: done }
              done: { type: succeed }
            """)
        #expect(simulation.instance.status == .waiting)
        let start = simulation.now
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.now.timeIntervalSince(start) == 86_400)
    }

    @Test(arguments: [
        (JSONValue.integer(1_700_000_090_000), ExecutionStatus.completed),  // epoch milliseconds, 90 s on
        (.string("2023-11-14T22:15:00Z"), .completed),  // ISO 8601, 100 s on
        (.double(1e300), .failed),  // too far: no timer past 100 years
    ])
    func waitStateSleepsUntilATime(until: JSONValue, ends: ExecutionStatus) throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: at-time
            start: at
            states:
              at: { type: wait, until: "input.at", next: done }
              done: { type: succeed }
            """, input: ["at": until])
        let start = simulation.now
        simulation.run()
        #expect(simulation.instance.status == ends)
        if ends == .failed {
            #expect(simulation.instance.error?.errorClass == "expression_error")
            #expect(simulation.instance.error?.message.contains("more than 36500d (100 years) away") == true)
        } else {
            #expect(simulation.now.timeIntervalSince(start) >= 90)
        }
    }

    static let signalWait = """
        apiVersion: lazyrabbit/v1
        name: payment
        start: paid
        states:
          paid: { type: wait, signal: order_paid, timeout: 1h, on_timeout: expired, output: payment, next: done }
          expired: { type: fail, error: payment_expired }
          done: { type: succeed }
        """

    @Test func signalWakesTheWaitingStateWithItsPayload() throws {
        var simulation = try Simulation(Self.signalWait)
        #expect(simulation.instance.status == .waiting)
        simulation.apply(.signal(name: "order_paid", payload: ["amount": 42]))
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?.value(atPath: "payment.amount") == .integer(42))
        #expect(simulation.instance.timers.isEmpty, "the timeout timer is cancelled")
    }

    @Test func signalTimeoutGoesToOnTimeout() throws {
        var simulation = try Simulation(Self.signalWait)
        simulation.run()
        #expect(simulation.entered() == ["paid", "expired"])
        #expect(simulation.instance.error?.errorClass == "payment_expired")
    }

    @Test func aSignalThatArrivesEarlyIsKeptForTheStateThatWaitsForIt() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: early
            start: first
            states:
              first: { type: task, callback: { type: handler, name: slow }, next: paid }
              paid: { type: wait, signal: order_paid, output: payment, next: done }
              done: { type: succeed }
            """, respond: { _ in nil })
        simulation.apply(.signal(name: "order_paid", payload: "early"))
        simulation.respond = { _ in .succeeded(.null) }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["payment"] == "early")
    }

    static let approval = """
        apiVersion: lazyrabbit/v1
        name: sign-off
        start: sign_off
        states:
          sign_off: { type: approval, message: "Refund ${input.amount}?", timeout: 48h, on_timeout: escalate, on_reject: refused, output: decision, next: done }
          escalate: { type: succeed, result: escalated }
          refused: { type: fail, error: refused }
          done: { type: succeed }
        """

    @Test func approvalApprovedContinuesWithTheDecision() throws {
        var simulation = try Simulation(Self.approval, input: ["amount": 30])
        #expect(simulation.transitions("approval_requested").first?.details["message"] == "Refund 30?")
        simulation.apply(.approval(state: nil, approved: true, by: "ana", comment: "fine"))
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?.value(atPath: "decision.by") == "ana")
    }

    @Test func approvalRejectedGoesToOnReject() throws {
        var simulation = try Simulation(Self.approval, input: ["amount": 30])
        simulation.apply(.approval(state: "sign_off", approved: false, by: "ana", comment: nil))
        #expect(simulation.entered() == ["sign_off", "refused"])
        #expect(simulation.instance.status == .failed)
    }

    @Test func approvalTimeoutGoesToOnTimeout() throws {
        var simulation = try Simulation(Self.approval, input: ["amount": 30])
        simulation.run()
        #expect(simulation.entered() == ["sign_off", "escalate"])
        #expect(simulation.instance.status == .completed)
    }
}
