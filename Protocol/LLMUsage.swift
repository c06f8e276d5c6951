public import WorkflowJSON

/// The tokens one call to a language model took, as the model counted them. The transition that
/// used the answer keeps it under ``detailsKey`` — `state_completed` of an `llm` task,
/// `ai_decided` of a choice's question — so an execution's history says what its model calls
/// cost, and the coordinator counts them (`lazyrabbit_llm_tokens_total`).
public struct LLMUsage: Sendable, Equatable {
    /// The key in a transition's `details`.
    public static let detailsKey = "llm_usage"
    /// The longest model name kept, in UTF-8 bytes.
    static let maxModelBytes = 200

    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int

    public init(model: String, promptTokens: Int, completionTokens: Int) {
        self.model = model.prefix(utf8Bytes: Self.maxModelBytes)
        self.promptTokens = max(promptTokens, 0)
        self.completionTokens = max(completionTokens, 0)
    }

    /// The usage in an `llm` callback's result (`{"model": …, "usage": {"prompt_tokens": N,
    /// "completion_tokens": N}, …}`); `nil` when it has none, or was answered from a cache
    /// (`"cached": true`: nothing was spent).
    public init?(result: JSONValue) {
        guard result["cached"] != .bool(true), let usage = result["usage"], let prompt = usage["prompt_tokens"]?.doubleValue,
            let completion = usage["completion_tokens"]?.doubleValue, prompt.isFinite, completion.isFinite
        else { return nil }
        self.init(model: result["model"]?.stringValue ?? "?", promptTokens: Self.count(prompt), completionTokens: Self.count(completion))
    }

    /// The usage a transition's `details` keep; `nil` when they keep none.
    public init?(details: JSONValue) {
        guard let kept = details[Self.detailsKey], let prompt = kept["prompt_tokens"]?.doubleValue,
            let completion = kept["completion_tokens"]?.doubleValue, prompt.isFinite, completion.isFinite
        else { return nil }
        self.init(model: kept["model"]?.stringValue ?? "?", promptTokens: Self.count(prompt), completionTokens: Self.count(completion))
    }

    /// The usage each of `transitions` keeps, in order (the `state_completed` and `ai_decided` that have one).
    public static func kept(in transitions: [TransitionRecord]) -> [LLMUsage] {
        transitions.compactMap { $0.kind == "state_completed" || $0.kind == "ai_decided" ? LLMUsage(details: $0.details) : nil }
    }

    /// What ``init(details:)`` reads back.
    public var json: JSONValue {
        ["model": .string(model), "prompt_tokens": .integer(promptTokens), "completion_tokens": .integer(completionTokens)]
    }

    /// A token count within 0...2⁴⁰ (the client already bounds what a server says).
    private static func count(_ value: Double) -> Int { Int(min(max(value, 0), Double(1 << 40))) }
}
