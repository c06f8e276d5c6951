public import Foundation
import WorkflowJSON
import WorkflowProtocol

/// The execution snapshot written by hand in ``ExecutionInstance``'s `Encodable` shape (property
/// names as keys, optionals left out when `nil`, enums with associated values as
/// `{"case": {…}}`): a snapshot is written on every step, and through `Encodable`'s generic
/// containers it was the coordinator's largest cost. It decodes with the `Decodable` conformance;
/// `SnapshotWritingTests` holds the two to the same document and to every stored property.
extension ExecutionInstance {
    /// The snapshot's JSON.
    public func snapshotJSON() -> Data {
        var writer = JSONWriter(capacity: 2048)
        write(to: &writer)
        return Data(writer.bytes)
    }

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("id"); object.string(id)
            object.key("workflowName"); object.string(workflowName)
            object.key("status"); object.string(status.rawValue)
            object.key("input"); object.value(input)
            object.key("sequence"); object.integer(sequence)
            object.key("startedAt"); object.date(startedAt)
            if let finishedAt { object.key("finishedAt"); object.date(finishedAt) }
            object.key("threads"); object.object(threads) { $1.write(to: &$0) }
            object.key("fanOuts"); object.object(fanOuts) { $1.write(to: &$0) }
            object.key("pendingTasks"); object.object(pendingTasks) { $1.write(to: &$0) }
            object.key("timers"); object.object(timers) { $0.date($1) }
            object.key("visits"); object.object(visits) { $0.integer($1) }
            object.key("bufferedSignals")
            object.object(bufferedSignals) { writer, signals in writer.array { list in signals.forEach { list.value($0) } } }
            if let output { object.key("output"); object.value(output) }
            if let error { object.key("error"); error.write(to: &object) }
            if let paused { object.key("paused"); object.bool(paused) }
            if let heldTasks { object.key("heldTasks"); object.array { list in heldTasks.forEach { list.string($0) } } }
        }
    }
}

extension ExecutionThread {
    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("id"); object.string(id)
            if let parentID { object.key("parentID"); object.string(parentID) }
            object.key("slot"); object.integer(slot)
            object.key("state"); object.string(state)
            object.key("phase"); phase.write(to: &object)
            object.key("attempt"); object.integer(attempt)
            object.key("enteredAt"); object.date(enteredAt)
            object.key("context"); object.value(context)
            if let item { object.key("item"); object.value(item) }
            if let index { object.key("index"); object.integer(index) }
            object.key("lastResult"); object.value(lastResult)
        }
    }
}

extension ThreadPhase {
    func write(to writer: inout JSONWriter) {
        writer.object { object in
            switch self {
            case .running(let taskID):
                object.key("running"); object.object { $0.key("taskID"); $0.string(taskID) }
            case .asking(let taskID, let rule):
                object.key("asking")
                object.object { phase in
                    phase.key("taskID"); phase.string(taskID)
                    phase.key("rule"); phase.integer(rule)
                }
            case .retrying(let timerID):
                object.key("retrying"); object.object { $0.key("timerID"); $0.string(timerID) }
            case .sleeping(let timerID):
                object.key("sleeping"); object.object { $0.key("timerID"); $0.string(timerID) }
            case .awaitingSignal(let name, let timerID):
                object.key("awaitingSignal")
                object.object { phase in
                    phase.key("name"); phase.string(name)
                    if let timerID { phase.key("timerID"); phase.string(timerID) }
                }
            case .awaitingApproval(let timerID):
                object.key("awaitingApproval")
                object.object { phase in
                    if let timerID { phase.key("timerID"); phase.string(timerID) }
                }
            case .joining:
                object.key("joining"); object.object { _ in }
            }
        }
    }
}

extension FanOut {
    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("state"); object.string(state)
            object.key("results")
            object.array { list in
                for result in results {
                    if let result { list.value(result) } else { list.null() }
                }
            }
            if let items { object.key("items"); object.array { list in items.forEach { list.value($0) } } }
            object.key("maxConcurrency"); object.integer(maxConcurrency)
            object.key("started"); object.integer(started)
            if let finished { object.key("finished"); object.integer(finished) }
        }
    }
}
