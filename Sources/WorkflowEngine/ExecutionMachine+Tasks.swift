import Foundation
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionMachine {
    /// Sends the state's callback to a worker, with a timeout timer when the state has one.
    mutating func dispatch(_ callback: Callback, for state: StateDefinition, in threadID: String) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        send(try workflow.renderCallback(callback, of: state.name, in: scope(for: thread)), for: state, in: threadID)
    }

    /// Sends `callback` as it is (rendered already, or built by the engine) and makes the thread
    /// wait for its report, with a timeout timer when the state has a `timeout`. `suffix` tells
    /// apart the tasks of one attempt (each `ai` rule's question of a choice) and holds no `/`.
    /// Answers the task's id (`nil` when the thread is gone).
    @discardableResult
    mutating func send(_ callback: Callback, for state: StateDefinition, in threadID: String, suffix: String = "") -> String? {
        guard var thread = instance.threads[threadID] else { return nil }
        let visit = instance.visits["\(threadID)|\(state.name)"] ?? 1
        let taskID = "\(instance.id)/\(threadID)/\(state.name)/\(visit)#\(thread.attempt)\(suffix)"
        var queue = "default"
        if case .handler(let handler) = callback, let named = handler.queue { queue = named }
        let task = StateTask(
            executionID: instance.id, taskID: taskID, state: state.name, attempt: thread.attempt,
            callback: callback, timeoutMilliseconds: state.timeout?.milliseconds, queue: queue)
        thread.phase = .running(taskID: taskID)
        instance.threads[threadID] = thread
        instance.pendingTasks[taskID] = task
        if instance.paused == true {
            instance.heldTasks = (instance.heldTasks ?? []) + [taskID]
        } else {
            effects.append(.dispatch(task))
        }
        if let timeout = state.timeout {
            startTimer(Self.timeoutTimerID(taskID), fireAt: now.addingTimeInterval(Double(timeout.milliseconds) / 1000))
        }
        return taskID
    }

    static func timeoutTimerID(_ taskID: String) -> String { "timeout|\(taskID)" }

    /// The thread whose current state waits for the task `taskID`, found from the id itself
    /// (`<execution>/<thread>/<state>/<visit>#<attempt>`, see ``dispatch(_:for:in:)``) rather than
    /// by looking at every thread.
    private func runningThread(of taskID: String) -> ExecutionThread? {
        func waiting(_ threadID: some StringProtocol) -> ExecutionThread? {
            guard let thread = instance.threads[String(threadID)], thread.phase.taskID == taskID else { return nil }
            return thread
        }
        if let main = waiting(ExecutionThread.mainID) { return main }
        guard let task = instance.pendingTasks[taskID] else { return nil }
        let bytes = taskID.utf8
        guard let visitSlash = bytes.lastIndex(of: UInt8(ascii: "/")),
            let start = bytes.index(bytes.startIndex, offsetBy: instance.id.utf8.count + 1, limitedBy: visitSlash),
            let end = bytes.index(visitSlash, offsetBy: -(task.state.utf8.count + 1), limitedBy: start)
        else { return nil }
        return waiting(taskID[start..<end])
    }

    /// Applies a worker's report for the task `taskID`; reports for tasks nobody waits for change nothing.
    mutating func taskCompleted(_ taskID: String, outcome: TaskOutcome) {
        guard let thread = runningThread(of: taskID) else { return }
        instance.pendingTasks[taskID] = nil
        cancelTimer(Self.timeoutTimerID(taskID))
        if case .asking(_, let rule) = thread.phase { return answered(rule, with: outcome, in: thread.id) }
        switch outcome {
        case .succeeded(let result): schedule(.complete(thread: thread.id, result: result))
        case .failed(let failure): schedule(.fail(thread: thread.id, error: failure))
        }
    }

    /// Stores a state's result, records the completion and moves on. A result that would break
    /// the value limits (alone, or in the context it is stored into) fails the state instead.
    mutating func complete(thread threadID: String, result: JSONValue) {
        guard var thread = instance.threads[threadID], let state = workflow.states[thread.state] else { return }
        do {
            if let output = state.output {
                thread.context = thread.context.setting(result, atPath: output)
                try workflow.checkBounds(thread.context, "the context with the result of state `\(state.name)` at `\(output)`")
            } else {
                try workflow.checkBounds(result, "the result of state `\(state.name)`")
            }
        } catch {
            return schedule(.fail(thread: threadID, error: error))
        }
        thread.lastResult = result
        instance.threads[threadID] = thread
        var details: [String: JSONValue] = ["duration_ms": milliseconds(since: thread.enteredAt), "attempt": .integer(thread.attempt)]
        if case .task(.llm) = state.kind, let usage = LLMUsage(result: result) { details[LLMUsage.detailsKey] = usage.json }
        record("state_completed", thread: threadID, from: state.name, to: state.next, details: .object(details))
        if let next = state.next, !state.end {
            schedule(.enter(thread: threadID, state: next, from: state.name))
        } else {
            schedule(.finish(thread: threadID, outcome: .success(result)))
        }
    }

    /// Handles an error of the current state: retry, then the state's catchers, then the workflow's
    /// `on_error` (top level only); what is left fails the thread.
    ///
    /// The error is kept as ``TaskFailure/bounded()`` cuts it. When storing it at a catcher's
    /// `output` (or at `error` for `on_error`) would break the value limits, the state fails with
    /// `value_too_large` instead, and no catcher is consulted again.
    mutating func fail(thread threadID: String, error: TaskFailure) {
        guard var thread = instance.threads[threadID], let state = workflow.states[thread.state] else { return }
        let error = error.bounded()
        let errorValue: JSONValue = ["error": .string(error.errorClass), "message": .string(error.message), "state": .string(state.name)]
        if let policy = retryPolicy(for: state), policy.allowsRetry(after: thread.attempt, errorClass: error.errorClass) {
            let visit = instance.visits["\(threadID)|\(state.name)"] ?? 1
            let timerID = "retry|\(threadID)|\(state.name)|\(visit)|\(thread.attempt + 1)"
            // The backoff, or longer when the service asked for it (`Retry-After`).
            let backoff = Int(policy.delay(after: thread.attempt, jitterFraction: Self.jitterFraction(timerID)).milliseconds)
            let delay = max(backoff, error.retryAfterMilliseconds ?? 0)
            thread.phase = .retrying(timerID: timerID)
            instance.threads[threadID] = thread
            startTimer(timerID, fireAt: now.addingTimeInterval(Double(delay) / 1000))
            var details: [String: JSONValue] = [
                "attempt": .integer(thread.attempt), "next_attempt": .integer(thread.attempt + 1),
                "max_attempts": .integer(policy.maxAttempts), "delay_ms": .integer(delay), "error": errorValue]
            if let asked = error.retryAfterMilliseconds { details[TaskFailure.retryAfterKey] = .integer(asked) }
            record("retry_scheduled", thread: threadID, from: state.name, to: state.name, details: .object(details))
            return
        }
        if let catcher = state.catchers.first(where: { $0.catches(error.errorClass) }) {
            if let output = catcher.output {
                let context = thread.context.setting(errorValue, atPath: output)
                if let refusal = workflow.boundsFailure(context, "the context with the error of state `\(state.name)` at `\(output)`") {
                    return failUncaught(thread, in: state, error: refusal)
                }
                instance.threads[threadID]?.context = context
            }
            record("error_caught", thread: threadID, from: state.name, to: catcher.next, details: ["error": errorValue, "attempts": .integer(thread.attempt)])
            return schedule(.enter(thread: threadID, state: catcher.next, from: state.name))
        }
        if threadID == ExecutionThread.mainID, let policy = workflow.definition.onError, policy.strategy != .fail,
            let fallback = policy.fallback, fallback != state.name
        {
            let context = thread.context.setting(errorValue, atPath: "error")
            if let refusal = workflow.boundsFailure(context, "the context with the error of state `\(state.name)` at `error`") {
                return failUncaught(thread, in: state, error: refusal)
            }
            instance.threads[threadID]?.context = context
            record("error_caught", thread: threadID, from: state.name, to: fallback, details: [
                "error": errorValue, "attempts": .integer(thread.attempt), "by": "on_error"])
            return schedule(.enter(thread: threadID, state: fallback, from: state.name))
        }
        failUncaught(thread, in: state, error: error)
    }

    /// Records the state's failure and ends its thread with `error`.
    private mutating func failUncaught(_ thread: ExecutionThread, in state: StateDefinition, error: TaskFailure) {
        let errorValue: JSONValue = ["error": .string(error.errorClass), "message": .string(error.message), "state": .string(state.name)]
        record("state_failed", thread: thread.id, from: state.name, details: ["error": errorValue, "attempts": .integer(thread.attempt)])
        schedule(.finish(thread: thread.id, outcome: .failure(error)))
    }

    /// The state's own retry policy, or the automatic one that `on_error: { strategy: auto }` gives task states.
    /// Only task states that dispatch a callback are retried; the validator refuses `retry` elsewhere.
    private func retryPolicy(for state: StateDefinition) -> RetryPolicy? {
        guard case .task(let callback) = state.kind, !callback.runsInline else { return nil }
        if let retry = state.retry { return retry }
        return (workflow.definition.onError?.strategy ?? .fail) == .auto ? .automatic : nil
    }

    /// Starts the next attempt once a retry backoff is over.
    mutating func retry(thread threadID: String) {
        guard var thread = instance.threads[threadID], let state = workflow.states[thread.state],
            case .task(let callback) = state.kind
        else { return }
        thread.attempt += 1
        thread.enteredAt = now
        instance.threads[threadID] = thread
        record("attempt_started", thread: threadID, from: state.name, to: state.name, details: ["attempt": .integer(thread.attempt)])
        do {
            try dispatch(callback, for: state, in: threadID)
        } catch {
            schedule(.fail(thread: threadID, error: error))
        }
    }

    /// A fraction in [0, 1) derived from `key`, so a replayed retry waits exactly as long as the original.
    static func jitterFraction(_ key: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash % 10_000) / 10_000
    }
}
