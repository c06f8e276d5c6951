import Foundation
import Testing
@testable import WorkflowEngine
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// The snapshot is written by hand (`ExecutionInstance.snapshotJSON()`); it must be the document
/// `Encodable` writes, decode back to the same instance, and name every stored property — so a
/// property added to the instance and forgotten by the writer fails here.
struct SnapshotWritingTests {
    static let entered = Date(timeIntervalSince1970: 1_764_000_000.125)

    static func thread(_ id: String, phase: ThreadPhase, full: Bool = false) -> ExecutionThread {
        ExecutionThread(
            id: id, parentID: full ? "main" : nil, slot: 2, state: "s-\(id)", phase: phase, attempt: 3, enteredAt: entered,
            context: ["k": [1, 2.5, "x"]], item: full ? ["sku": "A"] : nil, index: full ? 4 : nil, lastResult: full ? "r" : .null)
    }

    static let task = StateTask(
        executionID: "ex-1", taskID: "ex-1/main/a#1", state: "a", attempt: 1,
        callback: .handler(HandlerCallback(name: "noop", input: ["step": 1], queue: nil)), timeoutMilliseconds: 30_000)

    /// Every optional set, every phase and both kinds of fan-out slot present.
    static let full = ExecutionInstance(
        id: "ex-1 \"q\"", workflowName: "wf", status: .running, input: ["a": 1, "b": [true, nil]], sequence: 17,
        startedAt: entered, finishedAt: entered.addingTimeInterval(2),
        threads: [
            "main": thread("main", phase: .joining, full: true),
            "t1": thread("t1", phase: .running(taskID: "ex-1/t1/a#1")),
            "t2": thread("t2", phase: .retrying(timerID: "r1")),
            "t3": thread("t3", phase: .sleeping(timerID: "s1")),
            "t4": thread("t4", phase: .awaitingSignal(name: "go", timerID: "w1")),
            "t5": thread("t5", phase: .awaitingSignal(name: "go", timerID: nil)),
            "t6": thread("t6", phase: .awaitingApproval(timerID: "ap")),
            "t7": thread("t7", phase: .awaitingApproval(timerID: nil)),
            "t8": thread("t8", phase: .asking(taskID: "ex-1/t8/route/1#1-ai2", rule: 2)),
        ],
        fanOuts: [
            "main": FanOut(state: "fan", results: [["ok": 1], nil, "x"], items: [1, 2, 3], maxConcurrency: 2, started: 3, finished: 2),
            "t1": FanOut(state: "par", results: [nil], items: nil, maxConcurrency: 1, started: 1),
        ],
        pendingTasks: [task.taskID: task], timers: ["r1": entered, "s1": entered.addingTimeInterval(60)],
        visits: ["main|a": 2, "t1|b": 1], bufferedSignals: ["go": [["n": 1], "two"], "empty": []],
        output: ["done": true], error: TaskFailure(errorClass: "timeout", message: "slow", details: ["after_ms": 5]),
        paused: true, heldTasks: ["ex-1/t2/b#1"])

    /// Every optional `nil`, every collection empty.
    static let bare = ExecutionInstance(
        id: "ex-2", workflowName: "wf", status: .pending, input: .emptyObject, sequence: 0, startedAt: entered, finishedAt: nil,
        threads: [:], fanOuts: [:], pendingTasks: [:], timers: [:], visits: [:], bufferedSignals: [:],
        output: nil, error: nil, paused: nil, heldTasks: nil)

    @Test(arguments: ["full", "bare"])
    func writesTheDocumentEncodableWrites(instanceName: String) throws {
        let instance = instanceName == "full" ? Self.full : Self.bare
        let handWritten = try JSONParser.parse(instance.snapshotJSON())
        #expect(handWritten == (try JSONValue(jsonData: JSONEncoder().encode(instance))))
        #expect(try JSONDecoder().decode(ExecutionInstance.self, from: instance.snapshotJSON()) == instance)
        #expect(try JSONValueDecoder().decode(ExecutionInstance.self, from: instance.snapshotJSON()) == instance)
    }

    @Test func namesEveryStoredProperty() throws {
        let snapshot = try JSONParser.parse(Self.full.snapshotJSON())
        #expect(Set(snapshot.objectValue?.keys ?? [:].keys) == Self.propertyNames(of: Self.full))
        let main = try #require(snapshot["threads"]?["main"])
        #expect(Set(main.objectValue?.keys ?? [:].keys) == Self.propertyNames(of: Self.full.threads["main"]!))
        let fanOut = try #require(snapshot["fanOuts"]?["main"])
        #expect(Set(fanOut.objectValue?.keys ?? [:].keys) == Self.propertyNames(of: Self.full.fanOuts["main"]!))
    }

    private static func propertyNames(of value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// A cancelled timer carries exactly the fire time it was set with, also when the instance was
    /// read back from its snapshot in between (as a coordinator does after a restart, or another
    /// replica does): the distributed coordinator finds the timer's outbox row by that time.
    @Test func aTimerCancelledAfterASnapshotRoundTripCarriesItsFireTime() throws {
        let definition = try #require(WorkflowDocument.load("""
            apiVersion: lazyrabbit/v1
            name: timed
            start: call
            states:
              call: { type: task, callback: { type: delay, duration: 1ms }, timeout: 1500ms, next: done }
              done: { type: succeed }
            """).definition)
        let engine = WorkflowEngine(CompiledWorkflow(definition))
        let started = try engine.start(
            executionID: "ex", input: .emptyObject, now: Date(timeIntervalSince1970: 1_700_000_000.123_456_7), startState: nil, context: .emptyObject)
        let set = started.effects.compactMap { effect -> Date? in
            if case .scheduleTimer(_, let fireAt) = effect { fireAt } else { nil }
        }
        let task = try #require(started.instance.pendingTasks.values.first)
        let reloaded = try JSONValueDecoder().decode(ExecutionInstance.self, from: started.instance.snapshotJSON())
        let step = engine.apply(
            .taskCompleted(taskID: task.taskID, outcome: .succeeded(.null)), to: reloaded, now: Date(timeIntervalSince1970: 1_700_000_001.3))
        let cancelled = step.effects.compactMap { effect -> Date? in
            if case .cancelTimer(_, let fireAt) = effect { fireAt } else { nil }
        }
        #expect(set.count == 1 && cancelled == set, "set \(set), cancelled \(cancelled)")
    }
}
