import Foundation
import WorkflowJSON
import WorkflowDSL
import WorkflowProtocol

extension ExecutionMachine {
    /// A thread reached the end of its graph: the execution ends with the main thread; a branch reports to its parent.
    mutating func finish(thread threadID: String, outcome: Result<JSONValue, TaskFailure>) {
        guard let thread = instance.threads[threadID] else { return }
        guard threadID != ExecutionThread.mainID else {
            switch outcome {
            case .success: return terminate(.completed, error: nil)
            case .failure(let error): return terminate(.failed, error: error)
            }
        }
        stopThread(threadID)
        childFinished(thread, outcome: outcome)
    }

    /// Ends the execution: stops every thread, cancels every timer, records the final transition.
    ///
    /// - Parameter keepingOutput: `false` leaves the output empty (an execution failed for holding
    ///   too much keeps none of it).
    mutating func terminate(_ status: ExecutionStatus, error: TaskFailure?, keepingOutput: Bool = true) {
        guard !instance.status.isTerminal else { return }
        let error = error?.bounded()
        let context = keepingOutput ? instance.context : .emptyObject
        let lastState = instance.threads[ExecutionThread.mainID]?.state
        stopThread(ExecutionThread.mainID)
        for thread in instance.threads.keys.sorted() { stopThread(thread) }
        for timer in instance.timers.keys.sorted() { cancelTimer(timer) }
        instance.status = status
        instance.output = context
        instance.error = error
        instance.finishedAt = now
        var details: JSONValue = ["status": .string(status.rawValue), "duration_ms": milliseconds(since: instance.startedAt)]
        if let error {
            details = details.merging(["error": .string(error.errorClass), "message": .string(error.message)])
        }
        record("execution_\(status.rawValue.lowercased())", thread: ExecutionThread.mainID, from: lastState, details: details)
        effects.append(.finished(status))
    }
}
