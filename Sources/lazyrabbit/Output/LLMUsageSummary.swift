import Synchronization
import WorkflowProtocol

/// Adds up the language-model calls of a run (``LLMUsage`` in its transitions, child executions
/// included) for the line `lazyrabbit run` ends with.
final class LLMUsageSummary: Sendable {
    private let totals = Mutex((calls: 0, prompt: 0, completion: 0))

    func record(_ transitions: [TransitionRecord]) {
        for usage in LLMUsage.kept(in: transitions) {
            totals.withLock { totals in
                totals.calls += 1
                totals.prompt = Self.saturating(totals.prompt, usage.promptTokens)
                totals.completion = Self.saturating(totals.completion, usage.completionTokens)
            }
        }
    }

    /// `; 2 model calls, 132 + 37 tokens` (prompt + completion; `since resuming` after a resume),
    /// or nothing without calls.
    func text(resumed: Bool) -> String {
        let totals = totals.withLock { $0 }
        guard totals.calls > 0 else { return "" }
        let scope = resumed ? " since resuming" : ""
        return "; \(totals.calls) model call\(totals.calls == 1 ? "" : "s")\(scope), \(totals.prompt) + \(totals.completion) tokens"
    }

    private static func saturating(_ total: Int, _ more: Int) -> Int {
        let (sum, overflow) = total.addingReportingOverflow(more)
        return overflow ? .max : sum
    }
}
