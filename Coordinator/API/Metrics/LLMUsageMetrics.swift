import Synchronization
public import WorkflowProtocol

/// Counts language-model calls and their tokens from committed transitions (``LLMUsage`` in
/// `state_completed` of `llm` tasks and in `ai_decided`): `lazyrabbit_llm_calls_total{model}` and
/// `lazyrabbit_llm_tokens_total{model,kind="prompt"|"completion"}`. The first ``maxModels`` model
/// names get series of their own, later ones count as `other`: a server names its models.
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
    private let models = Mutex<Set<String>>([])

    public init(registry: MetricsRegistry) {
        calls = registry.counter("lazyrabbit_llm_calls_total", help: "Language model answers used by executions, by model.")
        tokens = registry.counter(
            "lazyrabbit_llm_tokens_total", help: "Tokens of the language model answers used by executions, by model and kind (prompt, completion).")
    }

    /// Counts the usage `transitions` keep.
    public func record(_ transitions: [TransitionRecord]) {
        for usage in LLMUsage.kept(in: transitions) {
            let model = label(for: usage.model)
            calls.increment(labels: ["model": model])
            tokens.increment(by: Double(usage.promptTokens), labels: ["model": model, "kind": "prompt"])
            tokens.increment(by: Double(usage.completionTokens), labels: ["model": model, "kind": "completion"])
        }
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
