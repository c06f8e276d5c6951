import Intelligence
import LocalServers
import Testing
import WorkflowJSON

/// A chain of models on one endpoint, against a local server speaking OpenAI's wire format.
@Suite struct FallbackChatModelTests {
    static func chain(_ server: ChatCompletionsServer, fallbacks: [String]) throws -> any ChatModel {
        var configuration = try #require(try LLMConfiguration.fromEnvironment([
            "LAZYRABBIT_LLM_URL": server.baseURL, "LAZYRABBIT_LLM_MODEL": "big", "LAZYRABBIT_LLM_FALLBACK_MODELS": fallbacks.joined(separator: ", "),
        ]))
        #expect(configuration.fallbackModels == fallbacks)
        configuration.timeout = .seconds(10)
        return configuration.chatModel()
    }

    /// A 503 from the model asked goes to the next one; the answer names the model that gave it.
    @Test func aFailingModelFallsBackToTheNext() async throws {
        let server = try ChatCompletionsServer([.error(status: 503, message: "overloaded"), .error(status: 429, message: "slow down"), .content("hi")])
        defer { server.stop() }
        let answer = try await Self.chain(server, fallbacks: ["medium", "big", "small"]).complete(ChatRequest(messages: [ChatMessage(.user, "Hello")]))
        #expect(answer.text == "hi" && answer.model == "small")
        #expect(server.bodies.map { $0["model"] } == ["big", "medium", "small"], "the default is not asked twice")
    }

    /// A model listed twice is asked once, and the longest `Retry-After` any model asked for is
    /// kept for the task's next attempt.
    @Test func eachModelOnceAndTheLongestWaitKept() async throws {
        let server = try ChatCompletionsServer([.error(status: 429, message: "slow down", retryAfter: "3"), .error(status: 503, message: "down")])
        defer { server.stop() }
        let model = try Self.chain(server, fallbacks: ["m2", "m2", "big"])
        do {
            _ = try await model.complete(ChatRequest(messages: [ChatMessage(.user, "Hello")]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .serverError && error.retryAfterMilliseconds == 3_000, "\(error)")
        }
        #expect(server.bodies.map { $0["model"] } == ["big", "m2"])
    }

    /// A request the server refuses is refused by every model: no fallback.
    @Test func aRefusedRequestDoesNotFallBack() async throws {
        let server = try ChatCompletionsServer([.error(status: 400, message: "bad request"), .content("never")])
        defer { server.stop() }
        await #expect(throws: LLMError.self) {
            _ = try await Self.chain(server, fallbacks: ["small"]).complete(ChatRequest(messages: [ChatMessage(.user, "Hello")], model: "named"))
        }
        #expect(server.bodies.map { $0["model"] } == ["named"])
    }

    /// When every model fails, the error has the last one's class and every model's reason.
    @Test func whenEveryModelFailsTheErrorSaysWhy() async throws {
        let server = try ChatCompletionsServer([.error(status: 500, message: "down"), .error(status: 503, message: "also down")])
        defer { server.stop() }
        let model = try Self.chain(server, fallbacks: ["small"])
        do {
            _ = try await model.complete(ChatRequest(messages: [ChatMessage(.user, "Hello")]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .serverError)
            #expect(error.message.hasPrefix("big: ") && error.message.contains("; then small: "), "\(error.message)")
        }
    }
}
