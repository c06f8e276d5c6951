public import WorkflowJSON

/// What a `task` state runs. String fields may hold `${...}` templates, rendered against the
/// context just before the callback is dispatched (secrets stay as `${secret.NAME}` until the
/// worker that makes the call).
public enum Callback: Sendable, Codable, Equatable {
    case http(HTTPCallback)
    case delay(DelayCallback)
    case transform(TransformCallback)
    case log(LogCallback)
    case workflow(ChildWorkflowCallback)
    case handler(HandlerCallback)
    case llm(LLMCallback)

    /// The DSL spelling of this callback type.
    public var typeName: String {
        switch self {
        case .http: "http"
        case .delay: "delay"
        case .transform: "transform"
        case .log: "log"
        case .workflow: "workflow"
        case .handler: "handler"
        case .llm: "llm"
        }
    }

    /// Every callback type the DSL knows, for error hints.
    public static let allTypeNames = ["http", "delay", "transform", "log", "workflow", "handler", "llm"]

    /// `true` for callbacks the coordinator applies itself, without a worker round trip.
    public var runsInline: Bool {
        if case .transform = self { return true }
        return false
    }
}

/// An HTTP request. The result is `{ "status": Int, "headers": {..}, "body": <JSON or string> }`.
public struct HTTPCallback: Sendable, Codable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var query: [String: String]
    /// Sent as JSON; templates allowed anywhere inside.
    public var body: JSONValue?

    public init(method: String = "GET", url: String, headers: [String: String] = [:], query: [String: String] = [:], body: JSONValue? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.query = query
        self.body = body
    }
}

/// Sleeps on a worker (simulates work, or spaces out calls). The result is `null`.
public struct DelayCallback: Sendable, Codable, Equatable {
    public var duration: WorkflowDuration
    public init(duration: WorkflowDuration) { self.duration = duration }
}

/// Sets context values from expressions, applied by the coordinator inline.
/// The result is an object with each assigned path and its value.
public struct TransformCallback: Sendable, Codable, Equatable {
    /// One assignment: a dotted context path and a value (templates allowed).
    public struct Assignment: Sendable, Codable, Equatable {
        public var path: String
        public var value: JSONValue
        public init(path: String, value: JSONValue) {
            self.path = path
            self.value = value
        }
    }

    /// Assignments in document order.
    public var set: [Assignment]
    public init(set: [Assignment]) { self.set = set }
}

/// Writes a message to the execution's log. The result is the rendered message.
public struct LogCallback: Sendable, Codable, Equatable {
    /// Log levels, lowest first.
    public enum Level: String, Sendable, Codable, CaseIterable {
        case debug, info, warning, error
    }

    public var message: String
    public var level: Level

    public init(message: String, level: Level = .info) {
        self.message = message
        self.level = level
    }
}

/// Runs another workflow as a child execution; its final context is the result.
public struct ChildWorkflowCallback: Sendable, Codable, Equatable {
    /// The child workflow's name.
    public var workflow: String
    /// The child's input (templates allowed).
    public var input: JSONValue?

    public init(workflow: String, input: JSONValue? = nil) {
        self.workflow = workflow
        self.input = input
    }
}

/// Runs user code registered by name in a worker.
public struct HandlerCallback: Sendable, Codable, Equatable {
    public var name: String
    /// The handler's input (templates allowed).
    public var input: JSONValue?
    /// The task queue that routes the call to workers which registered this handler.
    public var queue: String?

    public init(name: String, input: JSONValue? = nil, queue: String? = nil) {
        self.name = name
        self.input = input
        self.queue = queue
    }
}

/// Asks a language model. Parsed and validated now; running one needs the intelligence layer.
public struct LLMCallback: Sendable, Codable, Equatable {
    public var prompt: String
    public var system: String?
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    /// When set, the answer must be JSON matching this (JSON Schema) shape.
    public var schema: JSONValue?

    public init(prompt: String, system: String? = nil, model: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil, schema: JSONValue? = nil) {
        self.prompt = prompt
        self.system = system
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.schema = schema
    }
}
