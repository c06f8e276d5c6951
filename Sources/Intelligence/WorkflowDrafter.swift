public import WorkflowDSL

/// Turns a plain-language description into a workflow (NL→DSL): asks the model for a
/// `lazyrabbit/v1` document, validates it, and while it is invalid sends the validator's
/// diagnostics back and asks for a corrected one, up to ``maxAttempts`` answers in all.
///
/// ```swift
/// let drafter = WorkflowDrafter(model: ChatCompletionClient(configuration: configuration))
/// let draft = try await drafter.draft("Every morning at 8, fetch https://example.com/report and log its status")
/// if draft.isValid { print(draft.source) } else { draft.diagnostics.forEach { print($0) } }
/// ```
public struct WorkflowDrafter: Sendable {
    /// One drafting: the last document the model wrote and what the validator says of it.
    public struct Draft: Sendable {
        /// The YAML (or JSON) document, out of any code fence.
        public var source: String
        /// The validator's diagnostics of `source` (warnings only when valid).
        public var diagnostics: [Diagnostic]
        /// How many answers it took (1 when the first was valid).
        public var attempts: Int
        /// The model that answered, as it names itself.
        public var model: String
        /// Tokens over every answer.
        public var promptTokens: Int
        public var completionTokens: Int

        public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }
    }

    public let model: any ChatModel
    /// What the document must pass (the coordinator's own options, so a valid draft can be stored).
    public let options: ValidationOptions
    /// Answers asked for at most, the first included. Default 3.
    public let maxAttempts: Int

    public init(model: any ChatModel, options: ValidationOptions = ValidationOptions(), maxAttempts: Int = 3) {
        self.model = model
        self.options = options
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Drafts a workflow for `description` (`name`, when given, is the name it must have);
    /// `onAnswer` sees the draft after each answer (progress).
    ///
    /// - Throws: ``LLMError`` when the model gives no answer; an invalid last answer is not an
    ///   error but a ``Draft`` whose ``Draft/isValid`` is `false`.
    public func draft(_ description: String, name: String? = nil, onAnswer: (Draft) -> Void = { _ in }) async throws(LLMError) -> Draft {
        var messages = [ChatMessage(.system, Self.guide), ChatMessage(.user, Self.request(description, name: name))]
        var draft = Draft(source: "", diagnostics: [], attempts: 0, model: "", promptTokens: 0, completionTokens: 0)
        while draft.attempts < maxAttempts {
            let answer = try await model.complete(ChatRequest(messages: messages, maxTokens: Self.maxAnswerTokens))
            draft.attempts += 1
            draft.model = answer.model
            draft.promptTokens = draft.promptTokens.addingReportingOverflow(answer.promptTokens).partialValue
            draft.completionTokens = draft.completionTokens.addingReportingOverflow(answer.completionTokens).partialValue
            draft.source = Fenced.body(of: answer.text) + "\n"
            let document = WorkflowDocument.load(draft.source, options: options)
            draft.diagnostics = document.diagnostics
            if let name, draft.isValid, document.definition?.name != name {
                draft.diagnostics.append(Diagnostic(code: "name_changed", message: "the workflow must be named `\(name)`", path: "name"))
            }
            onAnswer(draft)
            if draft.isValid { break }
            // The document alone, not the prose around it: each round's prompt stays about one document long.
            messages += [ChatMessage(.assistant, draft.source), ChatMessage(.user, Self.repair(draft.diagnostics))]
        }
        return draft
    }

    /// A drafter for the model ``LLMConfiguration/fromEnvironment(_:)`` finds; `nil` when none is set.
    public static func fromEnvironment(options: ValidationOptions) throws(LLMError) -> WorkflowDrafter? {
        try LLMConfiguration.fromEnvironment().map { WorkflowDrafter(model: $0.chatModel(), options: options) }
    }

    private static func request(_ description: String, name: String?) -> String {
        "Write a LazyRabbit workflow for this:\n\n\(description)" + (name.map { "\n\nName the workflow `\($0)`." } ?? "")
    }

    /// The longest answer asked for, in tokens: a workflow of a few hundred lines.
    static let maxAnswerTokens = 4096
    /// The most problems sent back in one repair request.
    static let maxProblemsSent = 20

    private static func repair(_ diagnostics: [Diagnostic]) -> String {
        let problems = diagnostics.filter { $0.severity == .error }.prefix(maxProblemsSent).map { diagnostic in
            "- " + (diagnostic.line.map { "line \($0): " } ?? "") + "\(diagnostic.message) (at `\(diagnostic.path)`, \(diagnostic.code))"
                + (diagnostic.hint.map { "; hint: \($0)" } ?? "")
        }
        return "The validator refused that workflow:\n" + problems.joined(separator: "\n")
            + "\n\nAnswer with the whole corrected YAML document only."
    }

    /// What the model is told about the DSL (docs/dsl.md in brief).
    static let guide = """
        You write workflows for LazyRabbit, a durable workflow engine, in its YAML DSL. Answer with \
        one YAML document only, no prose, no code fence.

        A document has: apiVersion: lazyrabbit/v1, name (lowercase-with-dashes), optional description, \
        start (the first state's name), states (a mapping of state name to state), optional timeout \
        (duration), optional input: { fields: { NAME: { type: string|number|integer|boolean|object|array, \
        required: true|false, default: VALUE } } }, optional schedule: { cron: "0 8 * * *", timezone: UTC }.
        State names are unique in the whole document. Every state but choice, succeed and fail needs \
        `next: STATE` or `end: true`.
        State types:
        - task: callback: { ... }, optional output: CONTEXT_FIELD (where the result is stored), \
        timeout: 30s, retry: { max_attempts: 3, backoff: exponential, initial: 1s, max: 30s }, \
        catch: [ { errors: [ERROR_CLASS], next: STATE } ]
        - choice: choices: [ { when: "EXPRESSION", next: STATE } ], default: STATE; a rule may instead be \
        { ai: "YES/NO QUESTION a language model answers from the data", min_confidence: 0-100, next: STATE } \
        (for judgement no expression can make; a rule after it or default decides when there is no model)
        - parallel: branches: [ { start: S, states: { ... } } ] (each branch ends with end: true)
        - map: items: "EXPRESSION yielding a list", max_concurrency: N, iterator: { start: S, states: { ... } }
        - wait: exactly one of duration: 10m, until: "EXPRESSION", signal: NAME
        - approval: message: TEXT, timeout: 48h, on_timeout: STATE, on_reject: STATE
        - pass: moves on; succeed: ends well; fail: error: CODE, cause: TEXT
        Callback types:
        - http: { type: http, method: GET|POST|PUT|PATCH|DELETE, url: "https://...", headers: {...}, body: {...} }
        - llm: { type: llm, prompt: TEXT, system: TEXT }
        - transform: { type: transform, set: { FIELD: "${EXPRESSION}" } }
        - log: { type: log, message: TEXT }
        - delay: { type: delay, duration: 5s }
        - workflow: { type: workflow, workflow: OTHER_WORKFLOW_NAME, input: {...} }
        - handler: { type: handler, name: REGISTERED_HANDLER, input: {...} }
        Durations: 500ms, 30s, 5m, 2h, 1d, 1h30m. Templates inside strings: "${input.email}", \
        "${context.order.id}", "${secret.API_TOKEN}" (secrets only as a whole ${secret.NAME}). \
        Expressions read input.*, context fields by name, item and index inside a map; operators \
        == != < <= > >= && || ! + - * /, functions size, contains, startsWith, endsWith, matches, \
        lower, upper, int, double, string, now.

        Example:
        apiVersion: lazyrabbit/v1
        name: order-check
        start: fetch
        input: { fields: { order_id: { type: string, required: true } } }
        states:
          fetch:
            type: task
            callback: { type: http, method: GET, url: "https://shop.example.com/orders/${input.order_id}" }
            output: order
            retry: { max_attempts: 3 }
            next: route
          route:
            type: choice
            choices:
              - when: "order.body.total > 1000"
                next: review
            default: done
          review: { type: approval, message: "Approve order ${input.order_id}?", timeout: 24h, on_timeout: rejected, on_reject: rejected, next: done }
          done: { type: succeed }
          rejected: { type: fail, error: not_approved }
        """
}
