import Foundation
public import Intelligence
public import WorkflowDSL
import WorkflowJSON
public import WorkflowProtocol

/// Runs one ``StateTask``'s callback and classifies what happened. Never throws: every failure
/// becomes a ``TaskFailure`` with an error class that retry and catch rules can match.
///
/// The state's timeout is enforced here by cancelling the callback.
public struct TaskRunner: Sendable {
    public var handlers: HandlerRegistry
    public var http: HTTPCallbackRunner
    public var secrets: SecretProvider
    /// Runs `llm` callbacks; `nil` when no language model is configured (they fail `llm_unavailable`).
    public var llm: LLMCallRunner?
    /// Receives `log` callbacks' messages.
    public var logSink: @Sendable (StateTask, LogCallback.Level, String) -> Void

    public init(
        handlers: HandlerRegistry = .builtins, http: HTTPCallbackRunner, secrets: SecretProvider = .environment, llm: LLMCallRunner? = nil,
        logSink: @escaping @Sendable (StateTask, LogCallback.Level, String) -> Void = { _, _, _ in }
    ) {
        self.handlers = handlers
        self.http = http
        self.secrets = secrets
        self.llm = llm
        self.logSink = logSink
    }

    /// Runs `task` to an outcome, within its timeout.
    public func run(_ task: StateTask) async -> TaskOutcome {
        guard let timeout = task.timeoutMilliseconds else { return await runCallback(task) }
        return await withTaskGroup(of: TaskOutcome?.self) { group in
            group.addTask { await runCallback(task) }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(timeout))
                return Task.isCancelled ? nil : .failed(TaskFailure(
                    errorClass: "timeout", message: "state `\(task.state)` did not finish within \(WorkflowDuration(milliseconds: timeout))"))
            }
            defer { group.cancelAll() }
            while let outcome = await group.next() {
                if let outcome { return outcome }
            }
            return .failed(TaskFailure(errorClass: "cancelled", message: "the task was cancelled"))
        }
    }

    /// Runs the callback; a result beyond ``ValueLimits/storable`` is reported as a failure, since
    /// the coordinator could not store it, nor always read it back; a failure is cut to what the
    /// engine keeps (``TaskFailure/bounded()``).
    private func runCallback(_ task: StateTask) async -> TaskOutcome {
        do {
            let result = try await result(of: task)
            if let breach = result.breach(of: .storable) {
                return .failed(.breaking(.storable, breach, what: "the result of state `\(task.state)`"))
            }
            return .succeeded(result)
        } catch let failure as TaskFailure {
            return .failed(failure.bounded())
        } catch let error as HandlerError {
            return .failed(TaskFailure(errorClass: error.errorClass, message: error.message).bounded())
        } catch is CancellationError {
            return .failed(TaskFailure(errorClass: "cancelled", message: "the task was cancelled"))
        } catch {
            return .failed(TaskFailure(errorClass: "handler_error", message: String(describing: error)))
        }
    }

    private func result(of task: StateTask) async throws -> JSONValue {
        switch task.callback {
        case .http(let call):
            return try await http.run(call, secrets: secrets, idempotencyKey: task.taskID)
        case .delay(let delay):
            try await Task.sleep(for: .milliseconds(delay.duration.milliseconds))
            return .null
        case .log(let log):
            let message = try secrets.substitute(in: log.message)
            logSink(task, log.level, message)
            return .string(log.message)
        case .handler(let call):
            guard let handler = handlers.handler(named: call.name) else {
                let known = handlers.names.isEmpty ? "none" : handlers.names.joined(separator: ", ")
                throw TaskFailure(errorClass: "handler_not_found", message: "no handler named `\(call.name)` is registered in this worker (registered: \(known))")
            }
            let context = HandlerContext(executionID: task.executionID, taskID: task.taskID, state: task.state, attempt: task.attempt)
            return try await handler(try secrets.substitute(in: call.input ?? .null), context)
        case .llm(let call):
            // No secret is substituted: the validator refuses them here, and one carried in by data
            // stays the literal `${secret.NAME}` text rather than reach the model.
            guard let llm else {
                throw TaskFailure(errorClass: "llm_unavailable", message: "no language model is configured for this worker: set LAZYRABBIT_LLM_URL")
            }
            do {
                return try await llm.run(call)
            } catch {
                let details = error.retryAfterMilliseconds.map { [TaskFailure.retryAfterKey: JSONValue.integer($0)] }
                throw TaskFailure(errorClass: error.errorClass, message: error.message, details: details.map(JSONValue.object))
            }
        case .transform, .workflow:
            throw TaskFailure(errorClass: "invalid_callback", message: "`\(task.callback.typeName)` callbacks are run by the coordinator, not by workers")
        }
    }
}
