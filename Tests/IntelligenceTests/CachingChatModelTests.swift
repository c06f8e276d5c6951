import Intelligence
import LocalServers
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol
import Testing

/// Answers to deterministic requests are reused for a while; nothing else is.
@Suite struct CachingChatModelTests {
    static func model(_ server: ChatCompletionsServer) -> CachingChatModel {
        CachingChatModel(ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)), lifetime: .seconds(60))
    }

    static func ask(_ question: String, temperature: Double? = 0) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(.user, question)], temperature: temperature)
    }

    @Test func anIdenticalDeterministicRequestIsAnsweredOnce() async throws {
        let server = try ChatCompletionsServer([.content("yes"), .content("no")])
        defer { server.stop() }
        let model = Self.model(server)
        let first = try await model.complete(Self.ask("Is it urgent?"))
        let again = try await model.complete(Self.ask("Is it urgent?"))
        #expect(!first.cached && again.cached && again.text == "yes")
        #expect(server.bodies.count == 1)
        #expect(try await model.complete(Self.ask("Is it late?")).text == "no", "another question asks the model")
        #expect(server.bodies.count == 2)
    }

    @Test func otherTemperaturesAndFailuresAreNotKept() async throws {
        let server = try ChatCompletionsServer([.content("a"), .content("b"), .error(status: 503, message: "busy"), .content("c")])
        defer { server.stop() }
        let model = Self.model(server)
        #expect(try await model.complete(Self.ask("Write a line", temperature: nil)).text == "a")
        #expect(try await model.complete(Self.ask("Write a line", temperature: nil)).text == "b")
        await #expect(throws: LLMError.self) { try await model.complete(Self.ask("Is it urgent?")) }
        #expect(try await model.complete(Self.ask("Is it urgent?")).text == "c", "a failure is asked again")
    }

    @Test func theLifetimeComesFromTheEnvironment() {
        #expect(LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1"])?.cacheLifetime == nil)
        #expect(LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_CACHE_SECONDS": "600"])?.cacheLifetime
                == .seconds(600))
    }

    /// An answer reused from the cache spent nothing: it is marked and counts no tokens.
    @Test func aCachedAnswerIsMarkedInTheResult() async throws {
        let server = try ChatCompletionsServer([.content("fine")])
        defer { server.stop() }
        let runner = LLMCallRunner(model: Self.model(server))
        let call = LLMCallback(prompt: "Status?", temperature: 0)
        #expect(try await runner.run(call)["cached"] == nil)
        let again = try await runner.run(call)
        #expect(again["cached"] == true && LLMUsage(result: again) == nil)
    }
}
