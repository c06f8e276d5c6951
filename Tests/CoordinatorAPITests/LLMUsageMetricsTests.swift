import CoordinatorAPI
import Intelligence
import Foundation
import Testing
import WorkflowJSON
import WorkflowProtocol

@Suite struct LLMUsageMetricsTests {
    static func transition(_ kind: String, model: String, prompt: Int, completion: Int) -> TransitionRecord {
        TransitionRecord(
            executionID: "e", sequence: 1, thread: "main", fromState: "s", toState: nil, kind: kind, at: Date(),
            details: ["llm_usage": LLMUsage(model: model, promptTokens: prompt, completionTokens: completion).json])
    }

    @Test func callsAndTokensAreCountedPerModel() {
        let registry = MetricsRegistry()
        let usage = LLMUsageMetrics(registry: registry)
        usage.record([
            Self.transition("state_completed", model: "small", prompt: 10, completion: 2),
            Self.transition("ai_decided", model: "small", prompt: 5, completion: 1),
            Self.transition("retry_scheduled", model: "small", prompt: 1000, completion: 1000),
        ])
        let text = registry.prometheusText()
        #expect(text.contains(#"lazyrabbit_llm_calls_total{model="small"} 2"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_tokens_total{kind="prompt",model="small"} 15"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_tokens_total{kind="completion",model="small"} 3"#), "\(text)")
    }

    /// Drafting's answers count apart from executions', every answer of a drafting included.
    @Test func draftingIsCountedApart() {
        let registry = MetricsRegistry()
        let usage = LLMUsageMetrics(registry: registry)
        usage.recordDraft(model: "big", answers: 3, promptTokens: 900, completionTokens: 300)
        usage.record([Self.transition("ai_decided", model: "big", prompt: 5, completion: 1)])
        let text = registry.prometheusText()
        #expect(text.contains(#"lazyrabbit_llm_draft_calls_total{model="big"} 3"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_draft_tokens_total{kind="prompt",model="big"} 900"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_draft_tokens_total{kind="completion",model="big"} 300"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_calls_total{model="big"} 1"#), "\(text)")
    }

    /// With prices, executions' and drafting's answers have a cost (models without a price none).
    @Test func pricedModelsHaveACost() throws {
        let registry = MetricsRegistry()
        let usage = LLMUsageMetrics(registry: registry, prices: try LLMPrices.parse("small=1/2"))
        usage.record([
            Self.transition("ai_decided", model: "small-2024", prompt: 1_000_000, completion: 250_000),
            Self.transition("ai_decided", model: "unpriced", prompt: 1_000, completion: 1_000),
        ])
        usage.recordDraft(model: "small", answers: 1, promptTokens: 500_000, completionTokens: 0)
        let text = registry.prometheusText()
        #expect(text.contains(#"lazyrabbit_llm_cost_total{model="small-2024"} 1.5"#), "\(text)")
        #expect(!text.contains(#"lazyrabbit_llm_cost_total{model="unpriced"}"#), "\(text)")
        #expect(text.contains(#"lazyrabbit_llm_draft_cost_total{model="small"} 0.5"#), "\(text)")
    }

    /// A server names its models: past the first fifty, they share one series.
    @Test func modelNamesAreBounded() {
        let registry = MetricsRegistry()
        let usage = LLMUsageMetrics(registry: registry)
        usage.record((0..<60).map { Self.transition("ai_decided", model: "m\($0)", prompt: 1, completion: 1) })
        let text = registry.prometheusText()
        #expect(text.contains(#"lazyrabbit_llm_calls_total{model="other"} 10"#), "\(text)")
        #expect(text.components(separatedBy: "lazyrabbit_llm_calls_total{").count - 1 == 51)
    }
}
