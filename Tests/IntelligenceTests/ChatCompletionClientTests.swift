import Foundation
import Intelligence
import LocalServers
import Testing
import WorkflowJSON

@Suite struct ChatCompletionClientTests {
    @Test func sendsTheOpenAIRequestAndReadsTheCompletion() async throws {
        let server = try ChatCompletionsServer([.content("Hello, Ada.")])
        defer { server.stop() }
        let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL, apiKey: "sk-test", defaultModel: "small"))
        let answer = try await client.complete(ChatRequest(
            messages: [ChatMessage(.system, "Be brief."), ChatMessage(.user, "Greet Ada")], temperature: 0.2, maxTokens: 50))
        #expect(answer == ChatCompletion(text: "Hello, Ada.", model: "small", promptTokens: 12, completionTokens: 7, finishReason: "stop"))
        let body = try #require(server.bodies.first)
        #expect(body["model"] == "small")
        #expect(body["messages"] == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Greet Ada"]])
        #expect(body["temperature"] == 0.2 && body["max_tokens"] == 50 && body["response_format"] == nil)
        #expect(server.requests.first?.headers["authorization"] == "Bearer sk-test")
    }

    @Test(arguments: [
        (429, "llm_rate_limited"), (503, "llm_server_error"), (401, "llm_rejected"), (404, "llm_rejected"),
    ] as [(Int, String)])
    func statusesBecomeErrorClasses(status: Int, errorClass: String) async throws {
        let server = try ChatCompletionsServer([.error(status: status, message: "scripted failure")])
        defer { server.stop() }
        let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL))
        do {
            _ = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
            Issue.record("expected \(errorClass)")
        } catch {
            #expect(error.errorClass == errorClass)
            // The server's message is kept, except on a refused key (it may name the account).
            let expected = status == 401 ? "HTTP 401: the language model refused the credentials" : "HTTP \(status): scripted failure"
            #expect(error.message == expected)
        }
    }

    /// A rate limit's `Retry-After` comes with the error, for the engine's next attempt.
    @Test func aRateLimitSaysWhenToComeBack() async throws {
        let server = try ChatCompletionsServer([.error(status: 429, message: "rate limited", retryAfter: "20")])
        defer { server.stop() }
        let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL))
        do {
            _ = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
            Issue.record("expected llm_rate_limited")
        } catch {
            #expect(error.kind == .rateLimited && error.retryAfterMilliseconds == 20_000)
        }
    }

    @Test func anAnswerWithoutContentOrNoServerIsAnError() async throws {
        let server = try ChatCompletionsServer([.raw(["choices": []])])
        let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL))
        await #expect(throws: LLMError(.badResponse, "the answer has no `choices[0].message`")) {
            try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
        }
        server.stop()
        do {
            _ = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
            Issue.record("expected llm_connection")
        } catch {
            #expect(error.kind == .connection)
        }
    }

    /// A refusal is said as such; a token count no machine integer holds does not trap.
    @Test func refusalsAndHostileUsage() async throws {
        let server = try ChatCompletionsServer([
            .raw(["choices": [["message": ["role": "assistant", "content": nil, "refusal": "I can't help with that."]]]]),
            .raw(["choices": [["message": ["content": "ok"]]], "usage": ["prompt_tokens": 1e30, "completion_tokens": -5]]),
        ])
        defer { server.stop() }
        let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL))
        await #expect(throws: LLMError(.refused, "the model refused: I can't help with that.")) {
            try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
        }
        let answer = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "hi")]))
        #expect(answer.promptTokens == 1 << 40 && answer.completionTokens == 0)
    }

    @Test func theConfigurationComesFromTheEnvironment() throws {
        #expect(try LLMConfiguration.fromEnvironment([:]) == nil)
        let configuration = try LLMConfiguration.fromEnvironment([
            "LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1/", "LAZYRABBIT_LLM_MODEL": "llama", "LAZYRABBIT_LLM_API_KEY": "",
        ])
        #expect(configuration == LLMConfiguration(baseURL: "http://127.0.0.1:9/v1/", apiKey: nil, defaultModel: "llama"))
    }

    /// `LAZYRABBIT_LLM_MODELS` limits the models workflows name; the default model is always among them.
    @Test func theAllowedModelsComeFromTheEnvironment() throws {
        #expect(LLMConfiguration.allowedModels(["LAZYRABBIT_LLM_MODELS": " , "]) == nil)
        #expect(LLMConfiguration.allowedModels(["LAZYRABBIT_LLM_MODELS": "gpt-4o, o3-mini\n"]) == ["gpt-4o", "o3-mini", "gpt-4o-mini"])
        let configuration = try LLMConfiguration.fromEnvironment([
            "LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_MODEL": "llama", "LAZYRABBIT_LLM_MODELS": "qwen",
        ])
        #expect(configuration?.allowedModels == ["qwen", "llama"])
    }
}
