import Foundation
import Intelligence
import LocalServers
import Testing
import WorkflowDSL
import WorkflowJSON

@Suite struct WorkflowDrafterTests {
    static let valid = """
        apiVersion: lazyrabbit/v1
        name: daily-report
        start: fetch
        states:
          fetch: { type: task, callback: { type: http, method: GET, url: "https://reports.example.com/today" }, next: done }
          done: { type: succeed }
        """

    /// The first answer does not validate; the validator's diagnostics go back to the model with
    /// the line and the field, and the corrected answer is the draft.
    @Test func anInvalidAnswerIsRepairedWithTheValidatorsDiagnostics() async throws {
        let broken = Self.valid.replacingOccurrences(of: "next: done", with: "next: finish")
        let server = try ChatCompletionsServer([.content("Here it is:\n```yaml\n\(broken)\n```"), .content(Self.valid)])
        defer { server.stop() }
        let drafter = WorkflowDrafter(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)))
        let draft = try await drafter.draft("Fetch today's report every morning")
        #expect(draft.isValid, "\(draft.diagnostics)")
        #expect(draft.attempts == 2 && draft.promptTokens == 24 && draft.completionTokens == 14)
        #expect(draft.source == Self.valid + "\n")
        let repair = try #require(server.bodies.last?["messages"]?.arrayValue)
        #expect(repair.count == 4, "system, request, the broken answer, the repair request")
        let feedback = try #require(repair.last?["content"]?.stringValue)
        #expect(feedback.contains("line 5:") && feedback.contains("undefined_target") && feedback.contains("states.fetch.next"), "\(feedback)")
        #expect(server.bodies.first?["messages"]?.arrayValue?.last?["content"]?.stringValue?.contains("Fetch today's report") == true)
    }

    @Test func afterTheLastAttemptTheDraftSaysWhatIsWrong() async throws {
        let server = try ChatCompletionsServer([.content("name: nothing"), .content("still: wrong")])
        defer { server.stop() }
        let drafter = WorkflowDrafter(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)), maxAttempts: 2)
        let draft = try await drafter.draft("Something")
        #expect(!draft.isValid && draft.attempts == 2)
        #expect(draft.diagnostics.contains { $0.severity == .error })
    }

    @Test func aRequiredNameIsHeldTo() async throws {
        let server = try ChatCompletionsServer([.content(Self.valid), .content(Self.valid.replacingOccurrences(of: "daily-report", with: "morning"))])
        defer { server.stop() }
        let drafter = WorkflowDrafter(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)))
        let draft = try await drafter.draft("Fetch the report", name: "morning")
        #expect(draft.isValid && draft.attempts == 2)
    }
}
