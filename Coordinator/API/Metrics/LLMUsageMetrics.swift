import Synchronization
public import WorkflowProtocol

/// Counts language-model calls and their tokens: those executions used, from committed
/// transitions (``LLMUsage`` in `state_completed` of `llm` tasks and in `ai_decided`), as
/// `lazyrabbit_llm_calls_total{model}` and `lazyrabbit_llm_tokens_total{model,kind="prompt"|"completion"}`;
/// those drafting workflows took (`POST /v1/workflows/draft`) as `lazyrabbit_llm_draft_calls_total{model}`
/// and `lazyrabbit_llm_draft_tokens_total{model,kind}`. In each pair the first ``maxModels`` model
/// names get series of their own, later ones count as `other`: a server names its models.
///
/// ```swift
/// let usage = LLMUsageMetrics(registry: metrics)
/// hooks.onTransitions = { usage.record($0) }
/// ```
public final class LLMUsageMetrics: Sendable {
    /// How many model names get series of their own, per pair of counters.
    public static let maxModels = 50

    private let executions: Counters
    private let drafting: Counters

    public init(registry: MetricsRegistry) {
        executions = Counters(
            calls: registry.counter("lazyrabbit_llm_calls_total", help: "Language model answers used by executions, by model."),
            tokens: registry.counter(
                "lazyrabbit_llm_tokens_total", help: "Tokens of the language model answers used by executions, by model and kind (prompt, completion)."))
        drafting = Counters(
            calls: registry.counter("lazyrabbit_llm_draft_calls_total", help: "Language model answers taken to draft workflows, by model."),
            tokens: registry.counter(
                "lazyrabbit_llm_draft_tokens_total", help: "Tokens of the language model answers taken to draft workflows, by model and kind (prompt, completion)."))
    }

    /// Counts the usage `transitions` keep.
    public func record(_ transitions: [TransitionRecord]) {
        for usage in LLMUsage.kept(in: transitions) {
            executions.count(model: usage.model, calls: 1, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens)
        }
    }

    /// Counts answers a drafting took and their tokens (every answer, valid or not: each was paid for).
    public func recordDraft(model: String, answers: Int, promptTokens: Int, completionTokens: Int) {
        drafting.count(model: model, calls: answers, promptTokens: promptTokens, completionTokens: completionTokens)
    }

    /// A calls counter and a tokens counter, and the model names that have series of their own.
    private final class Counters: Sendable {
        let calls: MetricsCounter
        let tokens: MetricsCounter
        private let models = Mutex<Set<String>>([])

        init(calls: MetricsCounter, tokens: MetricsCounter) {
            self.calls = calls
            self.tokens = tokens
        }

        func count(model name: String, calls count: Int, promptTokens: Int, completionTokens: Int) {
            let model = label(for: name)
            calls.increment(by: Double(count), labels: ["model": model])
            tokens.increment(by: Double(promptTokens), labels: ["model": model, "kind": "prompt"])
            tokens.increment(by: Double(completionTokens), labels: ["model": model, "kind": "completion"])
        }

        private func label(for model: String) -> String {
            models.withLock { known in
                if known.contains(model) { return model }
                guard known.count < LLMUsageMetrics.maxModels else { return "other" }
                known.insert(model)
                return model
            }
        }
    }
}
