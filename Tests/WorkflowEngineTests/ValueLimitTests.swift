import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// Values an execution keeps are bounded in size and depth, and so is the execution as a whole:
/// whatever a workflow or its data does, a snapshot stays writable and readable.
@Suite struct ValueLimitTests {
    /// Small limits, so each test reaches them in a few steps.
    static let small = ExecutionLimits(value: ValueLimits(maxBytes: 10_000, maxDepth: 16), instanceBytes: 60_000, liveThreads: 5)

    /// `value` inside `levels` lists.
    static func nested(_ levels: Int, around value: JSONValue) -> JSONValue {
        (0..<levels).reduce(value) { inner, _ in [inner] }
    }

    /// A loop applying `update` to `x`, first `seed`, until it breaks a bound (or 200 rounds).
    static func growing(_ update: String, seed: String = "${'0123456789'}") -> String {
        """
        apiVersion: lazyrabbit/v1
        name: growing
        start: seed
        states:
          seed: { type: task, callback: { type: transform, set: { x: "\(seed)" } }, next: grow }
          grow:
            type: task
            callback: { type: transform, set: { x: "\(update)" } }
            max_visits: 200
            catch: [ { errors: [value_too_large, value_too_deep], next: stopped, output: why } ]
            next: grow
          stopped: { type: succeed }
        """
    }

    @Test func aValueGrowingByDoublingFailsTheStateThatGrewIt() throws {
        let simulation = try Simulation(Self.growing("${[x, x]}"), limits: Self.small)
        #expect(simulation.instance.status == .completed, "the error is caught like any other")
        #expect(simulation.instance.output?.value(atPath: "why.error") == "value_too_large")
        #expect(simulation.instance.output?.value(atPath: "why.state") == "grow")
        let kept = try #require(simulation.instance.output?["x"])
        #expect(kept.breach(of: Self.small.value) == nil, "the context keeps the last value that fit")
        #expect(simulation.entered().filter { $0 == "grow" }.count < 20)
    }

    @Test func aValueGrowingByNestingFailsBeforeTheDepthLimit() throws {
        let simulation = try Simulation(Self.growing("${[x]}"), limits: Self.small)
        #expect(simulation.instance.output?.value(atPath: "why.error") == "value_too_deep")
        #expect(simulation.entered().filter { $0 == "grow" }.count == 16, "the context holds `x` one level down: 15 levels of it fit")
    }

    /// From a 1 MiB seed, so that the 16 MiB limit is reached in a few steps of few nodes (from
    /// ten bytes a debug build spent 8 s of CPU on it).
    @Test func theDefaultLimitsStopADoublingValueLongBeforeItIsLarge() throws {
        let seed: JSONValue = ["seed": .string(String(repeating: "0123456789abcdef", count: 1 << 16))]
        let simulation = try Simulation(Self.growing("${[x, x]}", seed: "${input.seed}"), input: seed)
        #expect(simulation.instance.output?.value(atPath: "why.error") == "value_too_large")
        #expect(simulation.instance.snapshotJSON().count < 20 << 20)
    }

    @Test func aWorkerResultTooLargeIsNotRetriedAndNotStored() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: big-result
            start: fetch
            states:
              fetch:
                type: task
                callback: { type: handler, name: fetch }
                retry: { max_attempts: 3 }
                output: page
                next: done
              done: { type: succeed }
            """, limits: Self.small, respond: { _ in .succeeded(.string(String(repeating: "a", count: 20_000))) })
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "value_too_large")
        #expect(simulation.transitions("retry_scheduled").isEmpty)
        #expect(simulation.instance.output?["page"] == nil)
    }

    @Test func aCallbackRenderedTooLargeIsNeverDispatched() throws {
        let simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: big-body
            start: call
            states:
              call:
                type: task
                callback: { type: http, method: POST, url: "https://api.example.com/x", body: { copies: "${[input.text, input.text, input.text]}" } }
                end: true
            """, input: ["text": .string(String(repeating: "b", count: 4_000))], limits: Self.small, respond: { _ in nil })
        #expect(simulation.queued.isEmpty)
        #expect(simulation.instance.error?.errorClass == "value_too_large")
        #expect(simulation.instance.error?.message.contains("http callback of state `call`") == true)
    }

    @Test func aNonStringRenderedAsTextIsCheckedBeforeItIsWritten() throws {
        let simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: loud
            start: say
            states:
              say: { type: fail, error: oops, cause: "${[input.text, input.text, input.text]}" }
            """, input: ["text": .string(String(repeating: "c", count: 4_000))], limits: Self.small)
        #expect(simulation.instance.error?.errorClass == "value_too_large")
    }

    @Test func anInputBeyondTheLimitsIsRefusedAtTheStart() throws {
        let deep = Self.nested(20, around: 1)
        #expect(throws: InputValidationError.self) {
            try Simulation("apiVersion: lazyrabbit/v1\nname: s\nstart: a\nstates:\n  a: { type: succeed }\n", input: ["deep": deep], limits: Self.small)
        }
    }

    @Test func aSignalBeyondTheLimitsIsRefusedAndNotKept() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: waits
            start: other
            states:
              other: { type: task, callback: { type: handler, name: slow }, next: paid }
              paid: { type: wait, signal: paid, output: payment, next: done }
              done: { type: succeed }
            """, limits: Self.small, respond: { _ in nil })
        let deep = Self.nested(20, around: 1)
        simulation.apply(.signal(name: "paid", payload: deep))
        #expect(simulation.transitions("signal_refused").count == 1)
        #expect(simulation.transitions("signal_refused").first?.details["error"] == "value_too_deep")
        #expect(simulation.instance.bufferedSignals.isEmpty)
        simulation.apply(.signal(name: "paid", payload: ["amount": 5]))
        #expect(simulation.instance.bufferedSignals["paid"] == [["amount": 5]])
    }

    static let copies = """
        apiVersion: lazyrabbit/v1
        name: copies
        start: load
        states:
          load: { type: task, callback: { type: transform, set: { blob: "${input.blob}" } }, next: each }
          each:
            type: map
            items: "input.items"
            output: results
            iterator:
              start: work
              states:
                work: { type: task, callback: { type: handler, name: work, input: "${item}" }, end: true }
            next: done
          done: { type: succeed }
        """

    @Test func aMapStartsNoMoreThreadsThanTheLiveThreadLimitAndKeepsItsOrder() throws {
        let items = JSONValue.array((0..<12).map { .integer($0) })
        var simulation = try Simulation(Self.copies, input: ["items": items, "blob": "x"], limits: Self.small, respond: { _ in nil })
        #expect(simulation.queued.count == 4, "five live threads: the main one and four iterations")
        simulation.respond = { task in
            guard case .handler(let handler) = task.callback else { return nil }
            return .succeeded(handler.input ?? .null)
        }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.instance.output?["results"] == items)
    }

    @Test func threadsCopyingALargeContextFailTheExecutionAndLeaveASmallSnapshot() throws {
        let items = JSONValue.array((0..<12).map { .integer($0) })
        let blob = JSONValue.string(String(repeating: "z", count: 9_000))
        let simulation = try Simulation(
            Self.copies, input: ["items": items, "blob": blob], limits: ExecutionLimits(value: Self.small.value, instanceBytes: 60_000, liveThreads: 100),
            respond: { _ in nil })
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "execution_too_large")
        #expect(simulation.instance.threads.isEmpty && simulation.instance.fanOuts.isEmpty && simulation.instance.pendingTasks.isEmpty)
        #expect(!simulation.effects.contains { if case .dispatch = $0 { true } else { false } }, "the step's tasks are never sent")
        #expect(!simulation.effects.contains { if case .cancelTask = $0 { true } else { false } })
        #expect(simulation.instance.output == .emptyObject, "nothing of the data is kept")
        #expect(simulation.instance.snapshotJSON().count < 30_000)
    }

    @Test func aMapWidensAgainAsLiveThreadsFinish() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: two-maps
            start: both
            states:
              both:
                type: parallel
                branches:
                  - start: first
                    states:
                      first:
                        type: map
                        items: "input.first"
                        iterator: { start: a, states: { a: { type: task, callback: { type: handler, name: a }, end: true } } }
                        end: true
                  - start: second
                    states:
                      second:
                        type: map
                        items: "input.second"
                        iterator: { start: b, states: { b: { type: task, callback: { type: handler, name: b }, end: true } } }
                        end: true
                end: true
            """, input: ["first": [1, 2, 3], "second": [1, 2, 3, 4, 5, 6]], limits: ExecutionLimits(value: Self.small.value, instanceBytes: 60_000, liveThreads: 8),
            respond: { _ in nil })
        #expect(simulation.queued.filter { $0.state == "a" }.count == 3)
        #expect(simulation.queued.filter { $0.state == "b" }.count == 2, "main, two branches and three iterations leave room for two")
        for task in simulation.queued where task.state == "a" {
            simulation.apply(.taskCompleted(taskID: task.taskID, outcome: .succeeded(1)))
        }
        #expect(simulation.queued.filter { $0.state == "b" }.count == 6, "the first branch is gone: main and the second branch leave room for all six")
        simulation.respond = { _ in .succeeded(2) }
        simulation.run()
        #expect(simulation.instance.status == .completed)
    }

    @Test func aCaughtErrorThatWouldOverfillTheContextFailsTheStateInstead() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: loud-errors
            start: load
            states:
              load: { type: task, callback: { type: transform, set: { blob: "${input.blob}" } }, next: call }
              call:
                type: task
                callback: { type: handler, name: call }
                catch: [ { errors: [boom, value_too_large], next: done, output: why } ]
                next: done
              done: { type: succeed }
            """, input: ["blob": .string(String(repeating: "q", count: 7_000))], limits: Self.small, respond: { _ in
                .failed(TaskFailure(errorClass: "boom", message: String(repeating: "m", count: 5_000)))
            })
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "value_too_large")
        #expect(simulation.transitions("error_caught").isEmpty, "no catcher is tried again")
    }

    @Test func errorMessagesAreCutToWhatTheEngineKeeps() throws {
        let long = String(repeating: "é", count: 10_000)
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: long-message
            start: call
            states:
              call: { type: task, callback: { type: handler, name: call }, end: true }
            """, respond: { _ in .failed(TaskFailure(errorClass: "boom", message: long, details: ["big": .string(String(repeating: "d", count: 300_000))])) })
        simulation.run()
        let error = try #require(simulation.instance.error)
        #expect(error.message.hasPrefix(String(repeating: "é", count: 4_000)))
        #expect(error.message.hasSuffix("é … (cut from 20000 bytes)"))
        #expect(error.message.utf8.count <= TaskFailure.maxMessageBytes)
        #expect(error.bounded() == error)
        #expect(error.details == nil, "details larger than 256 KiB are dropped")
        #expect(simulation.transitions("state_failed").first?.details.value(atPath: "error.message") == .string(error.message))
    }

    @Test func theBoundBrokenFirstIsTheSameWhateverTheDictionaryOrder() {
        let deep = Self.nested(20, around: "x")
        let value: JSONValue = .object(Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", $0 == 25 ? deep : .string(String(repeating: "y", count: 400))) }))
        let limits = ValueLimits(maxBytes: 12_000, maxDepth: 16)
        var unordered = ValueMeter(limits)
        unordered.add(value)
        var ordered = ValueMeter(limits, ordered: true)
        ordered.add(value)
        #expect(ordered.breach == .tooDeep, "k25 comes before the bytes run out, in key order")
        #expect(value.breach(of: limits) == .tooDeep)
    }

    @Test func aStartingContextBeyondTheLimitsIsRefused() throws {
        #expect(throws: InputValidationError.self) {
            try Simulation("apiVersion: lazyrabbit/v1\nname: s\nstart: a\nstates:\n  a: { type: succeed }\n",
                context: ["blob": .string(String(repeating: "z", count: 20_000))], limits: Self.small)
        }
    }

    @Test func aFailingIterationStopsItsRunningSiblings() throws {
        let items = JSONValue.array((0..<4).map { .integer($0) })
        var simulation = try Simulation(Self.copies, input: ["items": items, "blob": "x"], respond: { _ in nil })
        #expect(simulation.queued.count == 4)
        let failing = try #require(simulation.queued.first { $0.taskID.contains("each[2]") })
        simulation.queued.removeAll { $0.taskID == failing.taskID }  // a worker took it, and reports
        simulation.apply(.taskCompleted(taskID: failing.taskID, outcome: .failed(TaskFailure(errorClass: "boom", message: "no"))))
        #expect(simulation.instance.status == .failed)
        #expect(simulation.queued.isEmpty, "the three others are cancelled")
        #expect(simulation.instance.threads.isEmpty)
    }
}
