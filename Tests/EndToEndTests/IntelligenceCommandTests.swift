import Foundation
import LocalServers
import Testing
import WorkflowJSON

/// `lazyrabbit draft` and `llm` callbacks in `lazyrabbit run`, against a local server that speaks
/// OpenAI's chat completions wire format (no language model is reachable from CI).
@Suite struct IntelligenceCommandTests {
    static let valid = """
        apiVersion: lazyrabbit/v1
        name: greet-later
        start: wait
        states:
          wait: { type: wait, duration: 1s, next: done }
          done: { type: succeed }
        """

    @Test func draftRepairsAnInvalidAnswerAndPrintsTheYAML() async throws {
        let server = try ChatCompletionsServer([.content(Self.valid.replacingOccurrences(of: "next: done", with: "next: nowhere")), .content(Self.valid)])
        defer { server.stop() }
        let result = try await LazyRabbitCLI.run(
            ["draft", "Wait a second, then finish"],
            environment: ["LAZYRABBIT_LLM_URL": server.baseURL, "LAZYRABBIT_LLM_MODEL": "local", "LAZYRABBIT_LLM_PRICES": "local=1000/2000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.valid + "\n")
        #expect(result.stderr.contains("2 answers, 24 + 14 tokens, cost 0.052000"), "\(result.stderr)")
        #expect(result.stderr.contains("answer 1: 2 problems, asking for a fix") && result.stderr.contains("answer 2: valid"), "\(result.stderr)")
        #expect(server.bodies.count == 2 && server.bodies.allSatisfy { $0["model"] == "local" })
    }

    @Test func draftWithoutAModelSaysHowToConfigureOne() async throws {
        let result = try await LazyRabbitCLI.run(["draft", "anything"], environment: ["LAZYRABBIT_LLM_URL": ""])
        #expect(result.status == 1)
        #expect(result.stderr.contains("set LAZYRABBIT_LLM_URL"), "\(result.stderr)")
    }

    @Test func anLLMCallbackAsksTheConfiguredModel() async throws {
        let server = try ChatCompletionsServer([.content("{\"tone\": \"warm\"}")])
        defer { server.stop() }
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let file = directory.appendingPathComponent("welcome.yaml")
        try """
            apiVersion: lazyrabbit/v1
            name: welcome
            start: write
            states:
              write:
                type: task
                callback:
                  type: llm
                  prompt: "Write a welcome for ${input.name}"
                  schema: { type: object, required: [tone], properties: { tone: { type: string } } }
                output: welcome
                end: true
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await LazyRabbitCLI.run(
            ["run", file.path, "--input", #"{"name": "Ada"}"#, "--db", directory.appendingPathComponent("runs.sqlite").path],
            environment: ["LAZYRABBIT_LLM_URL": server.baseURL])
        #expect(result.status == 0, "\(result.stderr)")
        let context = try #require(try? JSONValue(jsonString: result.stdout))
        #expect(context["welcome"]?["json"] == ["tone": "warm"])
        #expect(context["welcome"]?["usage"]?["completion_tokens"] == 7)
        #expect(server.bodies.first?["messages"]?.arrayValue?.last?["content"] == "Write a welcome for Ada")
    }

    /// An order whose card and connection come from different countries.
    static let order: JSONValue = ["order_id": "A-17", "total": 240, "card_country": "NZ", "ip_country": "RU"]

    /// Runs examples/order-triage.yaml on ``order`` with `environment`.
    static func runTriage(environment: [String: String]) async throws -> LazyRabbitCLI.Result {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        return try await LazyRabbitCLI.run(
            ["run", "examples/order-triage.yaml", "--input", order.encodedString(), "--db", directory.appendingPathComponent("runs.sqlite").path],
            environment: environment)
    }

    /// The same question through Anthropic's Messages API (a local server speaking its format).
    @Test func anAIRuleAsksAnthropicsMessagesAPI() async throws {
        let server = try AnthropicMessagesServer([.text(#"{"answer": true, "confidence": 88, "explanation": "countries differ"}"#)])
        defer { server.stop() }
        let result = try await Self.runTriage(environment: [
            "LAZYRABBIT_LLM_URL": server.baseURL, "LAZYRABBIT_LLM_PROVIDER": "anthropic", "LAZYRABBIT_LLM_MODEL": "claude-test",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try? JSONValue(jsonString: result.stdout))?["outcome"] == "held for review", "\(result.stdout)")
        #expect(result.stderr.contains("transitions; 1 model call, 21 + 9 tokens)"), "\(result.stderr)")
        #expect(server.requests.first?.json?["model"] == "claude-test")
    }

    @Test func anAIRuleAsksTheModelAndFollowsAConfidentYes() async throws {
        let server = try ChatCompletionsServer([.content(#"{"answer": true, "confidence": 92, "explanation": "card and address countries differ"}"#)])
        defer { server.stop() }
        // Priced by the longest listed name the model starts with: gpt-4o-mini, not gpt-4o.
        let result = try await Self.runTriage(environment: [
            "LAZYRABBIT_LLM_URL": server.baseURL, "LAZYRABBIT_LLM_PRICES": "gpt-4o=2.50/10, gpt-4o-mini=0.15/0.60",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try? JSONValue(jsonString: result.stdout))?["outcome"] == "held for review", "\(result.stdout)")
        #expect(result.stderr.contains("asked “Does this order look fraudulent?”: yes, 92 % sure — card and address countries differ"), "\(result.stderr)")
        #expect(result.stderr.contains("transitions; 1 model call, 12 + 7 tokens, cost 0.000006)"), "\(result.stderr)")
        let request = try #require(server.bodies.first)
        #expect(request["response_format"]?["type"] == "json_schema")
        let question = request["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(question.contains("Does this order look fraudulent?") && question.contains(#""ip_country":"RU""#), "\(question)")
    }

    /// What a model writes cannot drive the terminal: escape sequences and line breaks in an
    /// explanation are shown, not acted on.
    @Test func aModelsTextCannotDriveTheTerminal() async throws {
        let hostile = #"{"answer": false, "confidence": 99, "explanation": "ok\u001b[2J\u001b[31mRED\nFAKE ✔ COMPLETED\u0007"}"#
        let server = try ChatCompletionsServer([.content(hostile)])
        defer { server.stop() }
        let result = try await Self.runTriage(environment: ["LAZYRABBIT_LLM_URL": server.baseURL])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{07}"), "\(result.stderr)")
        #expect(result.stderr.contains("— ok\u{FFFD}[2J\u{FFFD}[31mRED ⏎ FAKE ✔ COMPLETED\u{FFFD}"), "\(result.stderr)")
    }

    /// The example fails closed: without a model the order is held, and the progress says why.
    @Test func anAIRuleWithoutAModelTakesOnNoAnswerAndSaysWhy() async throws {
        let result = try await Self.runTriage(environment: ["LAZYRABBIT_LLM_URL": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try? JSONValue(jsonString: result.stdout))?["outcome"] == "held for review", "\(result.stdout)")
        #expect(result.stderr.contains("no answer (llm_unavailable") && result.stderr.contains("→ review"), "\(result.stderr)")
        #expect(result.stderr.contains("(no answer to ai: Does this order look fraudulent?)"), "\(result.stderr)")
    }

    /// The operator's list of models holds where a workflow is validated: another model is refused with its line.
    @Test func validateRefusesAModelTheOperatorDidNotAllow() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let file = directory.appendingPathComponent("summary.yaml")
        try """
            apiVersion: lazyrabbit/v1
            name: summary
            start: write
            states:
              write: { type: task, callback: { type: llm, prompt: "Summarise ${input.text}", model: huge }, end: true }
            """.write(to: file, atomically: true, encoding: .utf8)
        let refused = try await LazyRabbitCLI.run(["validate", file.path], environment: ["LAZYRABBIT_LLM_MODELS": "small"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("summary.yaml:5") && refused.stderr.contains("the model `huge` is not allowed here [states.write.callback.model]"), "\(refused.stderr)")
        let accepted = try await LazyRabbitCLI.run(["validate", file.path], environment: ["LAZYRABBIT_LLM_MODELS": "small,huge"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }
}
