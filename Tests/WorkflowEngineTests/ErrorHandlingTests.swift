import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

@Suite struct ErrorHandlingTests {
    static func flaky(failures: Int, errorClass: String = "http_5xx") -> (StateTask) -> TaskOutcome? {
        { task in
            task.attempt <= failures ? .failed(TaskFailure(errorClass: errorClass, message: "boom \(task.attempt)")) : .succeeded("ok")
        }
    }

    static let retrying = """
        apiVersion: lazyrabbit/v1
        name: retrying
        start: call
        states:
          call:
            type: task
            callback: { type: handler, name: flaky }
            retry: { max_attempts: 3, backoff: exponential, initial: 1s, max: 30s, non_retryable: [http_4xx] }
            catch: [ { errors: ["*"], next: recover, output: failure } ]
            output: result
            next: done
          recover: { type: succeed, result: recovered }
          done: { type: succeed }
        """

    @Test func retriesWithGrowingBackoffUntilTheCallSucceeds() throws {
        var simulation = try Simulation(Self.retrying, respond: Self.flaky(failures: 2))
        let start = simulation.now
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["result"] == "ok")
        let retries = simulation.transitions("retry_scheduled")
        #expect(retries.count == 2)
        let delays = retries.compactMap { $0.details["delay_ms"]?.doubleValue }
        #expect(delays.count == 2)
        #expect((500...1000).contains(delays[0]), "first delay is 1 s with jitter down to 50%")
        #expect((1000...2000).contains(delays[1]), "second delay doubles")
        #expect(simulation.now.timeIntervalSince(start) * 1000 >= delays.reduce(0, +) - 1)
    }

    /// A service that says `Retry-After` is left alone at least that long; a shorter one does not
    /// shorten the backoff.
    @Test func aRetryWaitsAtLeastWhatTheServiceAsked() throws {
        var simulation = try Simulation(Self.retrying) { task in
            let asked = task.attempt == 1 ? 45_000 : 10
            return task.attempt <= 2
                ? .failed(TaskFailure(errorClass: "http_429", message: "slow down", details: ["retry_after_ms": .integer(asked)])) : .succeeded("ok")
        }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        let retries = simulation.transitions("retry_scheduled")
        #expect(retries.map { $0.details["delay_ms"] } == [45_000, retries.last?.details["delay_ms"]])
        #expect(retries.map { $0.details["retry_after_ms"] } == [45_000, 10])
        #expect((1000...2000).contains(retries.last?.details["delay_ms"]?.doubleValue ?? 0), "the second backoff stands")
    }

    @Test func exhaustedRetriesGoToTheCatcherWithTheErrorStored() throws {
        var simulation = try Simulation(Self.retrying, respond: Self.flaky(failures: 5))
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.entered() == ["call", "recover"])
        #expect(simulation.transitions("retry_scheduled").count == 2)
        #expect(simulation.instance.output?.value(atPath: "failure.error") == "http_5xx")
    }

    @Test func nonRetryableErrorsSkipRetries() throws {
        var simulation = try Simulation(Self.retrying, respond: Self.flaky(failures: 5, errorClass: "http_4xx"))
        simulation.run()
        #expect(simulation.transitions("retry_scheduled").isEmpty)
        #expect(simulation.entered() == ["call", "recover"])
    }

    @Test func workflowOnErrorFallbackCatchesWhatStatesDoNot() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: fallback
            start: call
            on_error: { strategy: auto, fallback: rejected }
            states:
              call: { type: task, callback: { type: handler, name: x }, next: done }
              done: { type: succeed }
              rejected: { type: fail, error: gave_up, cause: "${error.message}" }
            """, respond: Self.flaky(failures: 10, errorClass: "connection"))
        simulation.run()
        #expect(simulation.transitions("retry_scheduled").count == 2, "auto gives task states three attempts")
        #expect(simulation.entered() == ["call", "rejected"])
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "gave_up")
        #expect(simulation.instance.error?.message == "boom 3")
    }

    @Test func stateTimeoutCancelsTheTaskAndCountsAsAFailure() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: slow
            start: call
            states:
              call: { type: task, callback: { type: handler, name: slow }, timeout: 5s, next: done }
              done: { type: succeed }
            """, respond: { _ in nil })
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "timeout")
        #expect(simulation.effects.contains { if case .cancelTask = $0 { true } else { false } })
    }

    @Test func workflowTimeoutEndsTheExecutionTimedOut() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: deadline
            start: call
            timeout: 1m
            states:
              call: { type: task, callback: { type: handler, name: slow }, next: done }
              done: { type: succeed }
            """, respond: { _ in nil })
        simulation.run()
        #expect(simulation.instance.status == .timedOut)
        #expect(simulation.instance.pendingTasks.isEmpty)
        #expect(simulation.instance.timers.isEmpty)
    }
}
