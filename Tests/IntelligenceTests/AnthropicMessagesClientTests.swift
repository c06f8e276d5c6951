@testable import Intelligence
import LocalServers
import Testing
import WorkflowDSL
import WorkflowJSON

/// Anthropic's Messages API, against a local server speaking its wire format.
@Suite struct AnthropicMessagesClientTests {
    static func configuration(_ server: AnthropicMessagesServer) throws -> LLMConfiguration {
        try #require(try LLMConfiguration.fromEnvironment([
            "LAZYRABBIT_LLM_PROVIDER": "anthropic", "LAZYRABBIT_LLM_URL": server.baseURL, "LAZYRABBIT_LLM_API_KEY": "sk-ant-test",
        ]))
    }

    /// System messages go to `system`, the key to `x-api-key` with `anthropic-version`,
    /// `max_tokens` is always sent; the text blocks and token counts come back.
    @Test func aMessageIsAskedAndAnswered() async throws {
        let server = try AnthropicMessagesServer([.text("Hello, Ada.")])
        defer { server.stop() }
        let configuration = try Self.configuration(server)
        #expect(configuration.provider == .anthropic && configuration.defaultModel == LLMConfiguration.standardAnthropicModel)
        let answer = try await configuration.chatModel().complete(ChatRequest(
            messages: [ChatMessage(.system, "Be brief."), ChatMessage(.user, "Greet Ada")], temperature: 0))
        #expect(answer == ChatCompletion(text: "Hello, Ada.", model: "claude-3-5-haiku-latest", promptTokens: 21, completionTokens: 9, finishReason: "stop"))
        let request = try #require(server.requests.first)
        #expect(request.headers["x-api-key"] == "sk-ant-test" && request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.headers["authorization"] == nil)
        #expect(request.json == [
            "model": "claude-3-5-haiku-latest", "max_tokens": 4096, "system": "Be brief.", "temperature": 0,
            "messages": [["role": "user", "content": "Greet Ada"]],
        ])
    }

    /// A `max_tokens` stop is a cut-off answer, a `refusal` stop is `llm_refused`, Anthropic's
    /// 529 is a server error and its 429 a rate limit.
    @Test func stopsAndErrorsMapToTheUsualKinds() async throws {
        let server = try AnthropicMessagesServer([
            .text("{\"a\": ", stopReason: "max_tokens"), .text("I can't help with that.", stopReason: "refusal"),
            .error(status: 529, type: "overloaded_error", message: "Overloaded"), .error(status: 429, type: "rate_limit_error", message: "slow down"),
        ])
        defer { server.stop() }
        let model = try Self.configuration(server).chatModel()
        let ask = ChatRequest(messages: [ChatMessage(.user, "Hi")])
        #expect(try await model.complete(ask).finishReason == "length")
        for expected in [LLMError.Kind.refused, .serverError, .rateLimited] {
            do {
                _ = try await model.complete(ask)
                Issue.record("expected \(expected)")
            } catch {
                #expect(error.kind == expected, "\(error)")
            }
        }
    }

    /// An `llm` callback with a schema over Anthropic: the schema goes in `system`, the JSON is
    /// read from the text (Anthropic has no JSON response format).
    @Test func aSchemaIsAskedInTheSystemMessage() async throws {
        let server = try AnthropicMessagesServer([.text("```json\n{\"score\": 7}\n```")])
        defer { server.stop() }
        let runner = LLMCallRunner(model: try Self.configuration(server).chatModel())
        let schema: JSONValue = ["type": "object", "required": ["score"], "properties": ["score": ["type": "integer"]]]
        let result = try await runner.run(LLMCallback(prompt: "Rate it", schema: schema))
        #expect(result["json"] == ["score": 7] && result["model"] == "claude-3-5-haiku-latest")
        let body = try #require(server.requests.first?.json)
        #expect(body["system"]?.stringValue?.contains(schema.encodedString()) == true && body["response_format"] == nil)
    }

    /// Hostile or unusual answers: a text block without text is a bad answer, an error body in a
    /// 200 is the server's trouble (another model may answer), an empty turn is an empty text.
    @Test func unusualAnswersAreReadCarefully() throws {
        #expect(throws: LLMError(.badResponse, "a text block has no `text`")) {
            try AnthropicMessagesClient.completion(from: ["content": [["type": "text"]], "stop_reason": "end_turn"], fallbackModel: "m")
        }
        #expect(throws: LLMError(.serverError, "the answer is an error: Overloaded")) {
            try AnthropicMessagesClient.completion(from: ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]], fallbackModel: "m")
        }
        #expect(try AnthropicMessagesClient.completion(from: ["content": [], "stop_reason": "end_turn"], fallbackModel: "m").text == "")
        #expect(throws: LLMError.self) {
            try AnthropicMessagesClient.completion(from: ["content": [["type": "tool_use", "id": "x"]], "stop_reason": "tool_use"], fallbackModel: "m")
        }
    }

    @Test func anUnknownProviderIsAnError() {
        #expect(throws: LLMError.self) { try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9", "LAZYRABBIT_LLM_PROVIDER": "gemini"]) }
    }
}
