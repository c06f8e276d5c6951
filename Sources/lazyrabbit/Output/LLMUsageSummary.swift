import Foundation
import Intelligence
import Synchronization
import WorkflowProtocol

/// Adds up language-model calls — a run's (``LLMUsage`` in its transitions, child executions
/// included) for the line `lazyrabbit run` ends with, or a drafting's answers — and what they cost
/// at `prices`, each call at its own model's price.
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
            record(model: usage.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens)
        }
    }

    /// Adds one call of `model`.
    func record(model: String, promptTokens: Int, completionTokens: Int) {
        let cost = prices.cost(model: model, promptTokens: promptTokens, completionTokens: completionTokens)
        totals.withLock { totals in
            totals.calls += 1
            totals.prompt = Self.saturating(totals.prompt, promptTokens)
            totals.completion = Self.saturating(totals.completion, completionTokens)
            if let cost { totals.cost += cost } else { totals.unpriced += 1 }
        }
    }

    /// `; 2 model calls, 132 + 37 tokens` (prompt + completion; `since resuming` after a resume),
    /// then `, cost 0.000042` with prices (and how many calls had none), or nothing without calls.
    func text(resumed: Bool) -> String {
        let totals = totals.withLock { $0 }
        guard totals.calls > 0 else { return "" }
        let scope = resumed ? " since resuming" : ""
        return "; \(totals.calls) model call\(totals.calls == 1 ? "" : "s")\(scope), \(totals.prompt) + \(totals.completion) tokens" + costText()
    }

    /// `, cost 0.000042` (with how many calls had no price), `, no price for their models`, or
    /// nothing without prices or calls.
    func costText() -> String {
        let totals = totals.withLock { $0 }
        guard !prices.byModel.isEmpty, totals.calls > 0 else { return "" }
        guard totals.unpriced < totals.calls else { return ", no price for their model\(totals.calls == 1 ? "" : "s")" }
        let unpriced = totals.unpriced > 0 ? " (\(totals.unpriced) call\(totals.unpriced == 1 ? "" : "s") without a price)" : ""
        return ", cost \(String(format: "%.6f", totals.cost))" + unpriced
    }

    private static func saturating(_ total: Int, _ more: Int) -> Int {
        let (sum, overflow) = total.addingReportingOverflow(more)
        return overflow ? .max : sum
    }
}
