import Foundation
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionMachine {
    mutating func startTimer(_ id: String, fireAt: Date) {
        instance.timers[id] = fireAt
        effects.append(.scheduleTimer(id: id, fireAt: fireAt))
    }

    mutating func cancelTimer(_ id: String) {
        guard let fireAt = instance.timers.removeValue(forKey: id) else { return }
        effects.append(.cancelTimer(id: id, fireAt: fireAt))
    }

    /// A timer id unique to this visit of `state` in `threadID`.
    private func timerID(_ purpose: String, state: String, in threadID: String) -> String {
        "\(purpose)|\(threadID)|\(state)|\(instance.visits["\(threadID)|\(state)"] ?? 1)"
    }

    mutating func beginWait(_ wait: WaitSpec, state: StateDefinition, in threadID: String) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        if let signal = wait.signal {
            if var buffered = instance.bufferedSignals[signal], !buffered.isEmpty {
                let payload = buffered.removeFirst()
                instance.bufferedSignals[signal] = buffered.isEmpty ? nil : buffered
                record("signal_received", thread: threadID, from: state.name, details: ["signal": .string(signal), "buffered": true])
                return schedule(.complete(thread: threadID, result: payload))
            }
            let timeoutID = wait.timeout.map { _ in timerID("timeout", state: state.name, in: threadID) }
            instance.threads[threadID]?.phase = .awaitingSignal(name: signal, timerID: timeoutID)
            if let timeoutID, let timeout = wait.timeout {
                startTimer(timeoutID, fireAt: now.addingTimeInterval(Double(timeout.milliseconds) / 1000))
            }
            return
        }
        let fireAt: Date
        if let duration = wait.duration {
            fireAt = now.addingTimeInterval(Double(duration.milliseconds) / 1000)
        } else if let until = wait.until {
            fireAt = try Self.date(from: workflow.evaluate(until, in: scope(for: thread)), expression: until)
            guard fireAt.timeIntervalSince(now) <= Double(WorkflowDuration.longest.milliseconds) / 1000 else {
                throw TaskFailure(
                    errorClass: "expression_error", message: "`until: \(until)` is more than \(WorkflowDuration.longest) (100 years) away")
            }
        } else {
            fireAt = now
        }
        guard fireAt > now else { return schedule(.complete(thread: threadID, result: .null)) }
        let id = timerID("wait", state: state.name, in: threadID)
        instance.threads[threadID]?.phase = .sleeping(timerID: id)
        startTimer(id, fireAt: fireAt)
    }

    /// Reads an ISO 8601 timestamp or epoch milliseconds.
    private static func date(from value: JSONValue, expression: String) throws(TaskFailure) -> Date {
        switch value {
        case .integer(let milliseconds): return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        case .double(let milliseconds): return Date(timeIntervalSince1970: milliseconds / 1000)
        case .string(let text):
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            fallthrough
        default:
            throw TaskFailure(errorClass: "expression_error", message: "`until: \(expression)` must yield an ISO 8601 time or epoch milliseconds, got \(value.encodedString())")
        }
    }

    mutating func beginApproval(_ approval: ApprovalSpec, state: StateDefinition, in threadID: String) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        let message = try approval.message.map { text throws(TaskFailure) in try workflow.renderString(text, in: scope(for: thread)) }
        let timeoutID = approval.timeout.map { _ in timerID("timeout", state: state.name, in: threadID) }
        instance.threads[threadID]?.phase = .awaitingApproval(timerID: timeoutID)
        if let timeoutID, let timeout = approval.timeout {
            startTimer(timeoutID, fireAt: now.addingTimeInterval(Double(timeout.milliseconds) / 1000))
        }
        record("approval_requested", thread: threadID, from: state.name, details: ["message": message.map(JSONValue.string) ?? .null])
    }

    /// A due timer: the workflow deadline, a retry backoff, a wait, or a timeout.
    mutating func timerFired(_ id: String) {
        guard instance.timers.removeValue(forKey: id) != nil else { return }
        if id == WorkflowEngine.workflowTimeoutTimerID {
            return terminate(.timedOut, error: TaskFailure(errorClass: "timeout", message: "the workflow's timeout passed"))
        }
        if id == WorkflowEngine.continueTimerID { return continueMaps() }
        for thread in instance.threads.values.sorted(by: { $0.id < $1.id }) {
            switch thread.phase {
            case .retrying(let timerID) where timerID == id:
                return retry(thread: thread.id)
            case .sleeping(let timerID) where timerID == id:
                return schedule(.complete(thread: thread.id, result: .null))
            case .awaitingSignal(_, let timerID) where timerID == id, .awaitingApproval(let timerID) where timerID == id:
                return waitTimedOut(thread)
            case .running(let taskID) where Self.timeoutTimerID(taskID) == id:
                instance.pendingTasks[taskID] = nil
                effects.append(.cancelTask(taskID: taskID))
                let limit = workflow.states[thread.state]?.timeout?.description ?? "its timeout"
                return schedule(.fail(thread: thread.id, error: TaskFailure(errorClass: "timeout", message: "state `\(thread.state)` did not finish within \(limit)")))
            case .asking(let taskID, let rule) where Self.timeoutTimerID(taskID) == id:
                instance.pendingTasks[taskID] = nil
                effects.append(.cancelTask(taskID: taskID))
                let limit = workflow.states[thread.state]?.timeout?.description ?? "its timeout"
                return answered(rule, with: .failed(TaskFailure(errorClass: "timeout", message: "no answer within \(limit)")), in: thread.id)
            default:
                continue
            }
        }
    }

    private mutating func waitTimedOut(_ thread: ExecutionThread) {
        guard let state = workflow.states[thread.state] else { return }
        let onTimeout: String? = switch state.kind {
        case .wait(let wait): wait.onTimeout
        case .approval(let approval): approval.onTimeout
        default: nil
        }
        record("wait_timed_out", thread: thread.id, from: state.name, to: onTimeout)
        if let onTimeout {
            schedule(.enter(thread: thread.id, state: onTimeout, from: state.name))
        } else {
            schedule(.fail(thread: thread.id, error: TaskFailure(errorClass: "timeout", message: "nothing arrived at `\(state.name)` in time")))
        }
    }

    /// Delivers a signal to every state waiting for it, or keeps it for the first one that will.
    /// A payload that breaks the value limits is refused: recorded, and neither delivered nor kept.
    mutating func signal(_ name: String, payload: JSONValue) {
        if let breach = payload.breach(of: workflow.executionLimits.value) {
            let refusal = workflow.failure(breach, "the payload of signal `\(name)`")
            return record("signal_refused", thread: ExecutionThread.mainID, details: [
                "signal": .string(name), "error": .string(refusal.errorClass), "message": .string(refusal.message)])
        }
        let waiting = instance.threads.values.filter {
            if case .awaitingSignal(name, _) = $0.phase { true } else { false }
        }.sorted { $0.id < $1.id }
        guard !waiting.isEmpty else {
            instance.bufferedSignals[name, default: []].append(payload)
            return record("signal_buffered", thread: ExecutionThread.mainID, details: ["signal": .string(name)])
        }
        for thread in waiting {
            if case .awaitingSignal(_, let timerID?) = thread.phase { cancelTimer(timerID) }
            record("signal_received", thread: thread.id, from: thread.state, details: ["signal": .string(name)])
            schedule(.complete(thread: thread.id, result: payload))
        }
    }

    /// Applies a person's decision to the (first) approval state waiting for one.
    mutating func approval(state name: String?, approved: Bool, by: String?, comment: String?) {
        let waiting = instance.threads.values.filter {
            if case .awaitingApproval = $0.phase { name == nil || $0.state == name } else { false }
        }.sorted { $0.id < $1.id }
        guard let thread = waiting.first, let state = workflow.states[thread.state], case .approval(let spec) = state.kind else { return }
        if case .awaitingApproval(let timerID?) = thread.phase { cancelTimer(timerID) }
        let decision: JSONValue = ["approved": .bool(approved), "by": by.map(JSONValue.string) ?? .null, "comment": comment.map(JSONValue.string) ?? .null]
        record("approval_decided", thread: thread.id, from: state.name, details: decision)
        if approved {
            schedule(.complete(thread: thread.id, result: decision))
        } else if let onReject = spec.onReject {
            if let output = state.output {
                let context = thread.context.setting(decision, atPath: output)
                if let refusal = workflow.boundsFailure(context, "the context with the decision of state `\(state.name)` at `\(output)`") {
                    return schedule(.fail(thread: thread.id, error: refusal))
                }
                instance.threads[thread.id]?.context = context
            }
            schedule(.enter(thread: thread.id, state: onReject, from: state.name))
        } else {
            schedule(.fail(thread: thread.id, error: TaskFailure(errorClass: "rejected", message: "`\(state.name)` was rejected" + (by.map { " by \($0)" } ?? ""))))
        }
    }
}
