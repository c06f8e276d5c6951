import Synchronization
public import WorkflowProtocol

/// Counts language-model calls and their tokens: those executions used, from committed
/// transitions (``LLMUsage`` in `state_completed` of `llm` tasks and in `ai_decided`), as
/// `lazyrabbit_llm_calls_total{model}` and `lazyrabbit_llm_tokens_total{model,kind="prompt"|"completion"}`;
/// those drafting workflows took (`POST /v1/workflows/draft`) as `lazyrabbit_llm_draft_calls_total{model}`
/// and `lazyrabbit_llm_draft_tokens_total{model,kind}`. The first ``maxModels`` model names get
/// series of their own, later ones count as `other`: a server names its models.
///
/// ```swift
/// let usage = LLMUsageMetrics(registry: metrics)
/// hooks.onTransitions = { usage.record($0) }
/// ```
public final class LLMUsageMetrics: Sendable {
    /// How many model names get series of their own.
    public static let maxModels = 50

    private let calls: MetricsCounter
    private let tokens: MetricsCounter
    private let draftCalls: MetricsCounter
    private let draftTokens: MetricsCounter
    private let models = Mutex<Set<String>>([])

    public init(registry: MetricsRegistry) {
        calls = registry.counter("lazyrabbit_llm_calls_total", help: "Language model answers used by executions, by model.")
        tokens = registry.counter(
            "lazyrabbit_llm_tokens_total", help: "Tokens of the language model answers used by executions, by model and kind (prompt, completion).")
        draftCalls = registry.counter("lazyrabbit_llm_draft_calls_total", help: "Language model answers taken to draft workflows, by model.")
        draftTokens = registry.counter(
            "lazyrabbit_llm_draft_tokens_total", help: "Tokens of the language model answers taken to draft workflows, by model and kind (prompt, completion).")
    }

    /// Counts the usage `transitions` keep.
    public func record(_ transitions: [TransitionRecord]) {
        for usage in LLMUsage.kept(in: transitions) {
            count(model: usage.model, calls: 1, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, into: (calls, tokens))
        }
    }

    /// Counts one drafting's answers and their tokens (every answer, valid or not: each was paid for).
    public func recordDraft(model: String, answers: Int, promptTokens: Int, completionTokens: Int) {
        count(model: model, calls: answers, promptTokens: promptTokens, completionTokens: completionTokens, into: (draftCalls, draftTokens))
    }

    private func count(model name: String, calls: Int, promptTokens: Int, completionTokens: Int, into counters: (calls: MetricsCounter, tokens: MetricsCounter)) {
        let model = label(for: name)
        counters.calls.increment(by: Double(calls), labels: ["model": model])
        counters.tokens.increment(by: Double(promptTokens), labels: ["model": model, "kind": "prompt"])
        counters.tokens.increment(by: Double(completionTokens), labels: ["model": model, "kind": "completion"])
    }

    private func label(for model: String) -> String {
        models.withLock { known in
            if known.contains(model) { return model }
            guard known.count < Self.maxModels else { return "other" }
            known.insert(model)
            return model
        }
    }
}
