public import WorkflowJSON

/// What running a ``StateTask`` produced.
///
/// On the wire: `{"status": "succeeded", "result": …}` or `{"status": "failed", "error": {"class", "message", "details"}}`.
public enum TaskOutcome: Sendable, Codable, Equatable {
    /// The callback's result, stored at the state's `output` path.
    case succeeded(JSONValue)
    /// The callback failed; the engine applies the state's retry and catch rules.
    case failed(TaskFailure)

    private enum CodingKeys: String, CodingKey {
        case status, result, error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .status) {
        case "succeeded": self = .succeeded(try container.decodeIfPresent(JSONValue.self, forKey: .result) ?? .null)
        case "failed": self = .failed(try container.decode(TaskFailure.self, forKey: .error))
        case let other: throw DecodingError.dataCorruptedError(forKey: .status, in: container, debugDescription: "unknown status `\(other)`")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .succeeded(let result):
            try container.encode("succeeded", forKey: .status)
            try container.encode(result, forKey: .result)
        case .failed(let failure):
            try container.encode("failed", forKey: .status)
            try container.encode(failure, forKey: .error)
        }
    }
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

    private enum CodingKeys: String, CodingKey {
        case errorClass = "class", message, details
    }

    public init(errorClass: String, message: String, details: JSONValue? = nil) {
        self.errorClass = errorClass
        self.message = message
        self.details = details
    }
}
