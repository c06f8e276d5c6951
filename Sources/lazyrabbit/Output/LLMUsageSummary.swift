import Foundation
import Intelligence
import Synchronization
import WorkflowProtocol

/// Adds up the language-model calls of a run (``LLMUsage`` in its transitions, child executions
/// included) for the line `lazyrabbit run` ends with, and what they cost at `prices`.
final class LLMUsageSummary: Sendable {
    private struct Totals {
        var calls = 0, prompt = 0, completion = 0
        var cost = 0.0
        var unpriced = 0
    }

    private let prices: LLMPrices
    private let totals = Mutex(Totals())

    init(prices: LLMPrices = LLMPrices()) {
        self.prices = prices
    }

    func record(_ transitions: [TransitionRecord]) {
        for usage in LLMUsage.kept(in: transitions) {
            let cost = prices.cost(model: usage.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens)
            totals.withLock { totals in
                totals.calls += 1
                totals.prompt = Self.saturating(totals.prompt, usage.promptTokens)
                totals.completion = Self.saturating(totals.completion, usage.completionTokens)
                if let cost { totals.cost += cost } else { totals.unpriced += 1 }
            }
        }
    }

    /// `; 2 model calls, 132 + 37 tokens` (prompt + completion; `since resuming` after a resume),
    /// then `, cost 0.000042` with prices (and how many calls had none), or nothing without calls.
    func text(resumed: Bool) -> String {
        let totals = totals.withLock { $0 }
        guard totals.calls > 0 else { return "" }
        let scope = resumed ? " since resuming" : ""
        var text = "; \(totals.calls) model call\(totals.calls == 1 ? "" : "s")\(scope), \(totals.prompt) + \(totals.completion) tokens"
        if !prices.byModel.isEmpty {
            text += ", cost \(String(format: "%.6f", totals.cost))"
            if totals.unpriced > 0 { text += " (\(totals.unpriced) call\(totals.unpriced == 1 ? "" : "s") without a price)" }
        }
        return text
    }

    private static func saturating(_ total: Int, _ more: Int) -> Int {
        let (sum, overflow) = total.addingReportingOverflow(more)
        return overflow ? .max : sum
    }
}
