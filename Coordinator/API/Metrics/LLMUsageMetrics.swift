public import Intelligence
import Synchronization
public import WorkflowProtocol

/// Counts language-model calls and their tokens: those executions used, from committed
/// transitions (``LLMUsage`` in `state_completed` of `llm` tasks and in `ai_decided`), as
/// `lazyrabbit_llm_calls_total{model}` and `lazyrabbit_llm_tokens_total{model,kind="prompt"|"completion"}`;
/// those drafting workflows took (`POST /v1/workflows/draft`) as `lazyrabbit_llm_draft_calls_total{model}`
/// and `lazyrabbit_llm_draft_tokens_total{model,kind}`; with ``LLMPrices``, what they cost as
/// `lazyrabbit_llm_cost_total{model}` and `lazyrabbit_llm_draft_cost_total{model}` (models with a
/// price only). For executions and for drafting, the first ``maxModels`` model names get series of
/// their own, later ones count as `other`: a server names its models.
///
/// ```swift
/// let usage = LLMUsageMetrics(registry: metrics)
/// hooks.onTransitions = { usage.record($0) }
/// ```
public final class LLMUsageMetrics: Sendable {
    /// How many model names get series of their own, for executions and for drafting each.
    public static let maxModels = 50

    private let executions: Counters
    private let drafting: Counters

    /// Counters in `registry`; `prices` (``LLMPrices/fromEnvironment(_:)``) turn tokens into costs.
    public init(registry: MetricsRegistry, prices: LLMPrices = LLMPrices()) {
        executions = Counters(
            calls: registry.counter("lazyrabbit_llm_calls_total", help: "Language model answers used by executions, by model."),
            tokens: registry.counter(
                "lazyrabbit_llm_tokens_total", help: "Tokens of the language model answers used by executions, by model and kind (prompt, completion)."),
            cost: registry.counter(
                "lazyrabbit_llm_cost_total", help: "What the language model answers used by executions cost (LAZYRABBIT_LLM_PRICES), by model."),
            prices: prices)
        drafting = Counters(
            calls: registry.counter("lazyrabbit_llm_draft_calls_total", help: "Language model answers taken to draft workflows, by model."),
            tokens: registry.counter(
                "lazyrabbit_llm_draft_tokens_total", help: "Tokens of the language model answers taken to draft workflows, by model and kind (prompt, completion)."),
            cost: registry.counter(
                "lazyrabbit_llm_draft_cost_total", help: "What the language model answers taken to draft workflows cost (LAZYRABBIT_LLM_PRICES), by model."),
            prices: prices)
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

    /// Calls, tokens and cost counters, and the model names that have series of their own.
    private final class Counters: Sendable {
        let calls: MetricsCounter
        let tokens: MetricsCounter
        let cost: MetricsCounter
        let prices: LLMPrices
        private let models = Mutex<Set<String>>([])

        init(calls: MetricsCounter, tokens: MetricsCounter, cost: MetricsCounter, prices: LLMPrices) {
            self.calls = calls
            self.tokens = tokens
            self.cost = cost
            self.prices = prices
        }

        func count(model name: String, calls count: Int, promptTokens: Int, completionTokens: Int) {
            let model = label(for: name)
            calls.increment(by: Double(count), labels: ["model": model])
            tokens.increment(by: Double(promptTokens), labels: ["model": model, "kind": "prompt"])
            tokens.increment(by: Double(completionTokens), labels: ["model": model, "kind": "completion"])
            // Priced by the model's own name: "other" gathers models whose prices differ.
            if let amount = prices.cost(model: name, promptTokens: promptTokens, completionTokens: completionTokens) {
                cost.increment(by: amount, labels: ["model": model])
            }
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
