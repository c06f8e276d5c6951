import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// What a language model's answer cost is kept in the transition that used it.
@Suite struct LLMUsageTests {
    @Test func anLLMTasksCompletionKeepsItsUsage() throws {
        var simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: summary
            start: write
            states:
              write: { type: task, callback: { type: llm, prompt: "Summarise" }, next: log }
              log: { type: task, callback: { type: handler, name: echo, input: "x" }, end: true }
            """) { task in
            if case .llm = task.callback {
                return .succeeded(["text": "short", "model": "m-1", "usage": ["prompt_tokens": 40, "completion_tokens": 9]])
            }
            return .succeeded(["usage": ["prompt_tokens": 1, "completion_tokens": 1]])
        }
        simulation.run()
        let completions = simulation.transitions("state_completed")
        #expect(completions.map { LLMUsage(details: $0.details) } == [LLMUsage(model: "m-1", promptTokens: 40, completionTokens: 9), nil],
                "only llm tasks' usage counts")
    }

    @Test func hostileCountsAndNamesAreBounded() {
        let usage = LLMUsage(result: ["model": .string(String(repeating: "é", count: 5_000)), "usage": ["prompt_tokens": -5, "completion_tokens": 1e300]])
        #expect(usage?.model == String(repeating: "é", count: 100) && usage?.promptTokens == 0 && usage?.completionTokens == 1 << 40)
        let combining = "a" + String(repeating: "\u{301}", count: 10_000)  // one character of 20 001 bytes
        #expect(LLMUsage(model: combining, promptTokens: 1, completionTokens: 1).model == "")
        #expect(LLMUsage(result: ["usage": ["prompt_tokens": "many"]]) == nil)
        #expect(LLMUsage(details: ["llm_usage": usage!.json]) == usage)
    }
}
