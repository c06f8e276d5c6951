public import WorkflowJSON

/// A parsed workflow: what a `lazyrabbit/v1` document says, with no I/O and no validation beyond its shape.
///
/// Build one with ``WorkflowParser``; check it with ``WorkflowValidator``.
public struct WorkflowDefinition: Sendable, Codable, Equatable {
    /// The only API version this build understands.
    public static let apiVersion = "lazyrabbit/v1"

    /// `apiVersion` as written.
    public var apiVersion: String
    /// The workflow's name, unique per owner; child workflows are referenced by it.
    public var name: String
    /// Free text for people.
    public var description: String?
    /// The top-level states and where execution starts.
    public var graph: StateGraph
    /// The whole execution's deadline; when it passes the execution ends `TIMED_OUT`.
    public var timeout: WorkflowDuration?
    /// What happens when a state's error is not caught by the state itself.
    public var onError: ErrorPolicy?
    /// The fields the execution's input must carry.
    public var input: InputSchema?
    /// When a stored workflow starts by itself (`schedule:`); `nil` for workflows started only on request.
    public var schedule: WorkflowSchedule?

    public init(
        apiVersion: String = WorkflowDefinition.apiVersion, name: String, description: String? = nil,
        graph: StateGraph, timeout: WorkflowDuration? = nil, onError: ErrorPolicy? = nil, input: InputSchema? = nil,
        schedule: WorkflowSchedule? = nil
    ) {
        self.apiVersion = apiVersion
        self.name = name
        self.description = description
        self.graph = graph
        self.timeout = timeout
        self.onError = onError
        self.input = input
        self.schedule = schedule
    }
}

/// A set of states with a start: the top level of a workflow, one branch of a `parallel` state or
/// the iterator of a `map` state.
public struct StateGraph: Sendable, Codable, Equatable {
    /// The state entered first.
    public var start: String
    /// The states by name.
    public var states: [String: StateDefinition]
    /// State names in document order, for stable output (graphs, listings).
    public var order: [String]

    public init(start: String, states: [StateDefinition]) {
        self.start = start
        self.states = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.order = states.map(\.name)
    }

    /// The states in document order.
    public var orderedStates: [StateDefinition] { order.compactMap { states[$0] } }
}

/// What happens to an error that a state's own `retry` and `catch` did not handle.
public struct ErrorPolicy: Sendable, Codable, Equatable {
    /// How errors are handled.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// States without their own `retry` get ``RetryPolicy/automatic``; what is left goes to `fallback`
        /// when one is named, else the execution fails.
        case auto
        /// No implicit retries: go to `fallback` at once.
        case fallback
        /// No implicit retries: the execution fails.
        case fail
    }

    public var strategy: Strategy
    /// A top-level state to continue at after an unhandled error (the error is stored at `context.error`).
    public var fallback: String?

    public init(strategy: Strategy, fallback: String? = nil) {
        self.strategy = strategy
        self.fallback = fallback
    }
}

/// The declared shape of an execution's input.
public struct InputSchema: Sendable, Codable, Equatable {
    /// One declared input field.
    public struct Field: Sendable, Codable, Equatable {
        public var name: String
        public var type: FieldType
        public var required: Bool
        public var description: String?
        /// Used when the field is absent and not required.
        public var defaultValue: JSONValue?

        public init(name: String, type: FieldType, required: Bool = false, description: String? = nil, defaultValue: JSONValue? = nil) {
            self.name = name
            self.type = type
            self.required = required
            self.description = description
            self.defaultValue = defaultValue
        }
    }

    /// The JSON types an input field may declare.
    public enum FieldType: String, Sendable, Codable, CaseIterable {
        case string, number, integer, boolean, object, array, any
    }

    /// Fields in document order.
    public var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }
}
