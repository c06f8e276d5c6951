public import WorkflowJSON

/// One named state of a workflow.
public struct StateDefinition: Sendable, Codable, Equatable {
    /// The state's name, unique in the whole document.
    public var name: String
    /// What the state does.
    public var kind: StateKind
    /// The state entered after this one completes; `nil` for terminal states and `end: true`.
    public var next: String?
    /// `end: true`: the enclosing graph (workflow or branch) succeeds after this state.
    public var end: Bool
    /// A dotted context path where the state's result is stored (`output: validation` → `context.validation`).
    public var output: String?
    /// How long one attempt may take before it fails with the error class `timeout`.
    public var timeout: WorkflowDuration?
    /// How failed attempts are retried.
    public var retry: RetryPolicy?
    /// Where errors go once retries are exhausted, tried in order.
    public var catchers: [Catcher]
    /// How often the state may be entered in one execution (loops); the engine default applies when `nil`.
    public var maxVisits: Int?
    /// Free text for people.
    public var comment: String?

    public init(
        name: String, kind: StateKind, next: String? = nil, end: Bool = false, output: String? = nil,
        timeout: WorkflowDuration? = nil, retry: RetryPolicy? = nil, catchers: [Catcher] = [],
        maxVisits: Int? = nil, comment: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.next = next
        self.end = end
        self.output = output
        self.timeout = timeout
        self.retry = retry
        self.catchers = catchers
        self.maxVisits = maxVisits
        self.comment = comment
    }

    /// The DSL spelling of this state's type (`task`, `choice`, ...).
    public var typeName: String { kind.typeName }

    /// `true` for `succeed` and `fail`, which end their graph.
    public var isTerminal: Bool {
        switch kind {
        case .succeed, .fail: true
        default: false
        }
    }

    /// Every state name this state can move to within its own graph (next, choices, catchers, timeouts).
    public var successors: [String] {
        var names: [String] = []
        if let next { names.append(next) }
        switch kind {
        case .choice(let choice):
            for rule in choice.choices { names += [rule.next] + (rule.onNoAnswer.map { [$0] } ?? []) }
            if let fallback = choice.defaultNext { names.append(fallback) }
        case .wait(let wait):
            if let onTimeout = wait.onTimeout { names.append(onTimeout) }
        case .approval(let approval):
            if let onTimeout = approval.onTimeout { names.append(onTimeout) }
            if let onReject = approval.onReject { names.append(onReject) }
        default:
            break
        }
        names += catchers.map(\.next)
        return names
    }
}

/// The type of a state and its type-specific fields.
public enum StateKind: Sendable, Codable, Equatable {
    /// Runs a callback.
    case task(Callback)
    /// Picks the next state by rules (and, where configured, an AI decision).
    case choice(ChoiceSpec)
    /// Runs every branch at once and joins them; the result is the list of branch results.
    case parallel(ParallelSpec)
    /// Runs the iterator once per item of a list, at most `maxConcurrency` at a time.
    case map(MapSpec)
    /// Waits for a duration, a moment, or a named external signal.
    case wait(WaitSpec)
    /// Waits for a person to approve or reject.
    case approval(ApprovalSpec)
    /// Ends its graph successfully; `result` (templates allowed) becomes the graph's result.
    case succeed(result: JSONValue?)
    /// Ends its graph with an error.
    case fail(FailSpec)
    /// Produces `result` (templates allowed) without doing anything else.
    case pass(result: JSONValue?)

    /// The DSL spelling of this type.
    public var typeName: String {
        switch self {
        case .task: "task"
        case .choice: "choice"
        case .parallel: "parallel"
        case .map: "map"
        case .wait: "wait"
        case .approval: "approval"
        case .succeed: "succeed"
        case .fail: "fail"
        case .pass: "pass"
        }
    }

    /// Every state type the DSL knows, for error hints.
    public static let allTypeNames = ["task", "choice", "parallel", "map", "wait", "approval", "succeed", "fail", "pass"]
}

/// The fields of a `choice` state.
public struct ChoiceSpec: Sendable, Codable, Equatable {
    public var choices: [ChoiceRule]
    /// Where to go when no rule matches; without one, no match is the error class `no_choice_matched`.
    public var defaultNext: String?

    public init(choices: [ChoiceRule], defaultNext: String? = nil) {
        self.choices = choices
        self.defaultNext = defaultNext
    }

    /// Whether a rule asks a model (`ai`); then the state's `timeout` bounds each question.
    public var asksModel: Bool { choices.contains { $0.ai != nil } }
}

/// One rule of a `choice` state: either an expression (`when`) or a question for the decision engine (`ai`).
public struct ChoiceRule: Sendable, Codable, Equatable {
    /// A boolean expression over the context.
    public var when: String?
    /// A yes/no question a language model answers from the thread's data (docs/intelligence.md).
    public var ai: String?
    /// For an `ai` rule, an expression whose value is all the model is shown; `nil` shows what
    /// `when` rules see.
    public var about: String?
    /// How sure the model must be of a yes (0–100) for an `ai` rule to match; `nil` means
    /// ``defaultMinConfidence``.
    public var minConfidence: Int?
    /// For an `ai` rule, the state entered when the model gives no answer (no model, an error, a
    /// timeout); `nil` goes on with the next rule.
    public var onNoAnswer: String?
    /// For an `ai` rule, the model asked; `nil` asks the operator's default model.
    public var model: String?
    /// The state entered when the rule matches.
    public var next: String

    /// The confidence an `ai` rule's yes needs when the rule names none.
    public static let defaultMinConfidence = 70
    /// The longest `ai` question, in UTF-8 bytes.
    public static let maxQuestionBytes = 4096

    public init(
        when: String? = nil, ai: String? = nil, about: String? = nil, minConfidence: Int? = nil, onNoAnswer: String? = nil, model: String? = nil,
        next: String
    ) {
        self.when = when
        self.ai = ai
        self.about = about
        self.minConfidence = minConfidence
        self.onNoAnswer = onNoAnswer
        self.model = model
        self.next = next
    }
}

/// The fields of a `parallel` state.
public struct ParallelSpec: Sendable, Codable, Equatable {
    public var branches: [StateGraph]
    public init(branches: [StateGraph]) { self.branches = branches }
}

/// The fields of a `map` state.
public struct MapSpec: Sendable, Codable, Equatable {
    /// An expression that yields the list to iterate (`order.lines`).
    public var items: String
    /// How many iterations run at once; `nil` means all of them.
    public var maxConcurrency: Int?
    /// The states run once per item; inside them `item` and `index` name the current element.
    public var iterator: StateGraph

    public init(items: String, maxConcurrency: Int? = nil, iterator: StateGraph) {
        self.items = items
        self.maxConcurrency = maxConcurrency
        self.iterator = iterator
    }
}

/// The fields of a `wait` state: exactly one of `duration`, `until` or `signal`.
public struct WaitSpec: Sendable, Codable, Equatable {
    public var duration: WorkflowDuration?
    /// An expression yielding an ISO 8601 timestamp or epoch milliseconds.
    public var until: String?
    /// The name of an external signal; its payload is the state's result.
    public var signal: String?
    /// For `signal` waits: how long to wait before going to `onTimeout` (or failing with `timeout`).
    public var timeout: WorkflowDuration?
    public var onTimeout: String?

    public init(duration: WorkflowDuration? = nil, until: String? = nil, signal: String? = nil, timeout: WorkflowDuration? = nil, onTimeout: String? = nil) {
        self.duration = duration
        self.until = until
        self.signal = signal
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}

/// The fields of an `approval` state.
public struct ApprovalSpec: Sendable, Codable, Equatable {
    /// What the approver is asked (templates allowed).
    public var message: String?
    /// How long to wait for a decision.
    public var timeout: WorkflowDuration?
    /// Where to go when nobody decided in time; without it a timeout fails with `timeout`.
    public var onTimeout: String?
    /// Where to go on rejection; without it a rejection fails with `rejected`.
    public var onReject: String?

    public init(message: String? = nil, timeout: WorkflowDuration? = nil, onTimeout: String? = nil, onReject: String? = nil) {
        self.message = message
        self.timeout = timeout
        self.onTimeout = onTimeout
        self.onReject = onReject
    }
}

/// The fields of a `fail` state.
public struct FailSpec: Sendable, Codable, Equatable {
    /// The error class reported (`validation_failed`).
    public var error: String
    /// A message for people (templates allowed).
    public var cause: String?

    public init(error: String, cause: String? = nil) {
        self.error = error
        self.cause = cause
    }
}

/// Routes an error, once retries are exhausted, to another state of the same graph.
public struct Catcher: Sendable, Codable, Equatable {
    /// Error classes caught; `"*"` catches everything.
    public var errors: [String]
    public var next: String
    /// Where the error (`{error, message}`) is stored in the context.
    public var output: String?

    public init(errors: [String], next: String, output: String? = nil) {
        self.errors = errors
        self.next = next
        self.output = output
    }

    /// `true` when this catcher handles `errorClass`.
    public func catches(_ errorClass: String) -> Bool {
        errors.contains("*") || errors.contains(errorClass)
    }
}
