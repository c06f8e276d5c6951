/// The one error type of the worker service: a code and the context it happened in.
public struct WorkerServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable {
        /// The broker did not confirm a report (nacked, or no answer); the task is given back.
        case reportNotConfirmed
        /// ``WorkerService/run()`` was called a second time; a service runs once.
        case alreadyStarted
        /// A task queue name no worker can consume (``TaskQueueName/problem(consuming:)``).
        case invalidTaskQueue
    }

    /// What went wrong.
    public var code: Code
    /// Where: the task id, the queue.
    public var context: String

    /// An error with `code` and `context`.
    public init(_ code: Code, context: String = "") {
        self.code = code
        self.context = context
    }

    public var description: String { context.isEmpty ? code.rawValue : "\(code.rawValue): \(context)" }
}
