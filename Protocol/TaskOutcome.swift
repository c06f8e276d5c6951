public import WorkflowJSON

/// What running a ``StateTask`` produced.
public enum TaskOutcome: Sendable, Codable, Equatable {
    /// The callback's result, stored at the state's `output` path.
    case succeeded(JSONValue)
    /// The callback failed; the engine applies the state's retry and catch rules.
    case failed(TaskFailure)
}

/// A callback failure, classified so that retry and catch rules can match it.
public struct TaskFailure: Sendable, Codable, Equatable, Error {
    /// The error class: `timeout`, `http_4xx`, `http_5xx`, `connection`, `blocked_address`,
    /// `handler_error`, `handler_not_found`, `llm_unavailable`, or a handler's own class.
    public var errorClass: String
    /// What happened, for people.
    public var message: String
    /// Anything else worth keeping (status code, response body, ...).
    public var details: JSONValue?

    public init(errorClass: String, message: String, details: JSONValue? = nil) {
        self.errorClass = errorClass
        self.message = message
        self.details = details
    }
}
