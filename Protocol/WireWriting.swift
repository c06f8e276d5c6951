public import Foundation
public import WorkflowJSON
import WorkflowDSL

/// Task messages, outcomes and reports written by hand in their `Encodable` shape: one of each
/// crosses the broker on every step (and a task sits in the snapshot of every execution with a
/// task running). Held to the `Encodable` output by `HandWrittenWireTests`.
extension StateTask {
    /// Writes this task as one JSON object.
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("version"); object.integer(version)
            object.key("execution_id"); object.string(executionID)
            object.key("task_id"); object.string(taskID)
            object.key("state"); object.string(state)
            object.key("attempt"); object.integer(attempt)
            object.key("callback"); callback.write(to: &object)
            if let timeoutMilliseconds { object.key("timeout_ms"); object.integer(timeoutMilliseconds) }
            object.key("queue"); object.string(queue)
        }
    }

    /// The task's JSON, as a task message carries it.
    public func encodedJSON() -> Data {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return Data(writer.bytes)
    }
}

extension TaskFailure {
    /// Writes this failure as one JSON object.
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("class"); object.string(errorClass)
            object.key("message"); object.string(message)
            if let details { object.key("details"); object.value(details) }
        }
    }
}

extension TaskOutcome {
    /// Writes this outcome as one JSON object.
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            switch self {
            case .succeeded(let result):
                object.key("status"); object.string("succeeded")
                object.key("result"); object.value(result)
            case .failed(let failure):
                object.key("status"); object.string("failed")
                object.key("error"); failure.write(to: &object)
            }
        }
    }

    /// The outcome's JSON.
    public func encodedJSON() -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        write(to: &writer)
        return writer.bytes
    }
}

extension TaskReport {
    /// The report's JSON. `encodedOutcome` is this report's outcome already written (a worker writes
    /// it first to check its size); without it the outcome is written here.
    public func encodedJSON(encodedOutcome: [UInt8]? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.object { object in
            object.key("version"); object.integer(version)
            object.key("execution_id"); object.string(executionID)
            object.key("task_id"); object.string(taskID)
            object.key("attempt"); object.integer(attempt)
            object.key("outcome")
            if let encodedOutcome { object.json(encodedOutcome) } else { outcome.write(to: &object) }
            if let outcomeRef { object.key("outcome_ref"); object.string(outcomeRef) }
            object.key("worker_id"); object.string(workerID)
            if let fencingToken { object.key("fencing_token"); object.integer(fencingToken) }
            object.key("started_at"); object.integer(startedAt)
            object.key("finished_at"); object.integer(finishedAt)
        }
        return writer.bytes
    }
}
