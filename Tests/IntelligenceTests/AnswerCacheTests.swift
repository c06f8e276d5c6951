@testable import Intelligence
import LocalServers
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// Answers to deterministic requests are reused for a while, and shared while in flight; nothing
/// else is — not other temperatures, not failures, not answers the schema refuses.
@Suite struct AnswerCacheTests {
    static func runner(_ server: ChatCompletionsServer) -> LLMCallRunner {
        LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)), cache: AnswerCache(lifetime: .seconds(60)))
    }

    @Test func anIdenticalDeterministicCallIsAnsweredOnce() async throws {
        let server = try ChatCompletionsServer([.content("yes"), .content("no")])
        defer { server.stop() }
        let runner = Self.runner(server)
        let first = try await runner.run(LLMCallback(prompt: "Is it urgent?", temperature: 0))
        let again = try await runner.run(LLMCallback(prompt: "Is it urgent?", temperature: 0))
        #expect(first["cached"] == nil && again["cached"] == true && again["text"] == "yes")
        #expect(LLMUsage(result: first) != nil && LLMUsage(result: again) == nil, "a reused answer spent nothing")
        #expect(try await runner.run(LLMCallback(prompt: "Is it late?", temperature: 0))["text"] == "no", "another prompt asks the model")
        #expect(server.bodies.count == 2)
    }

    @Test func otherTemperaturesAndFailuresAreNotKept() async throws {
        let server = try ChatCompletionsServer([.content("a"), .content("b"), .error(status: 503, message: "busy"), .content("c")])
        defer { server.stop() }
        let runner = Self.runner(server)
        #expect(try await runner.run(LLMCallback(prompt: "Write a line"))["text"] == "a")
        #expect(try await runner.run(LLMCallback(prompt: "Write a line"))["text"] == "b")
        await #expect(throws: LLMError.self) { try await runner.run(LLMCallback(prompt: "Is it urgent?", temperature: 0)) }
        #expect(try await runner.run(LLMCallback(prompt: "Is it urgent?", temperature: 0))["text"] == "c", "a failure is asked again")
    }

    /// An answer the schema refuses is not kept: the retry asks the model again (a hunt found the
    /// refused answer replayed to every retry for the cache's lifetime).
    @Test func anAnswerTheSchemaRefusesIsAskedAgain() async throws {
        let server = try ChatCompletionsServer([.content("sorry, I think it is spam"), .content(#"{"spam": true}"#)])
        defer { server.stop() }
        let runner = Self.runner(server)
        let call = LLMCallback(prompt: "Spam?", temperature: 0, schema: ["type": "object", "required": ["spam"]])
        await #expect(throws: LLMError.self) { try await runner.run(call) }
        #expect(try await runner.run(call)["json"] == ["spam": true])
        #expect(try await runner.run(call)["cached"] == true)
        #expect(server.bodies.count == 2)
    }

    /// Identical calls at the same time share one request to the model.
    @Test func identicalCallsInFlightShareOneRequest() async throws {
        let server = try ChatCompletionsServer([.content("shared"), .content("second")], delay: .milliseconds(300))
        defer { server.stop() }
        let runner = Self.runner(server)
        let texts = await withTaskGroup(of: JSONValue?.self) { group in
            for _ in 0..<5 { group.addTask { try? await runner.run(LLMCallback(prompt: "Same?", temperature: 0))["text"] } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(texts == Array(repeating: "shared", count: 5))
        #expect(server.bodies.count == 1)
    }

    /// A waiter whose task is cancelled (its timeout) leaves alone: the one who asked first
    /// leaving does not take the answer from another execution waiting for the same question.
    @Test func aCancelledWaiterLeavesTheSharedCallToTheOthers() async throws {
        let server = try ChatCompletionsServer([.content("shared")], delay: .seconds(2))
        defer { server.stop() }
        let runner = Self.runner(server)
        let question = LLMCallback(prompt: "Same?", temperature: 0)
        let first = Task { try await runner.run(question) }
        try await Self.untilTheServerHas(1, server)
        let second = Task { try await runner.run(question) }
        let cache = try #require(runner.cache)
        let deadline = ContinuousClock.now + .seconds(10)
        while cache.waitingInFlight < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        first.cancel()
        let left = await first.result
        #expect(throws: LLMError(.cancelled, "the call was cancelled")) { try left.get() }
        #expect(try await second.value["text"] == "shared")
        #expect(server.bodies.count == 1)
    }

    /// Waits until `server` has received `count` requests (10 s at most).
    static func untilTheServerHas(_ count: Int, _ server: ChatCompletionsServer) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while server.bodies.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try #require(server.bodies.count >= count, "the server got \(server.bodies.count) of \(count) requests")
    }

    /// When everyone waiting leaves, the call is cancelled and the next identical request asks anew.
    @Test func aCallEveryoneLeftIsAskedAgain() async throws {
        let server = try ChatCompletionsServer([.content("abandoned"), .content("fresh")], delay: .seconds(1))
        defer { server.stop() }
        let runner = Self.runner(server)
        let question = LLMCallback(prompt: "Same?", temperature: 0)
        let waiters = (0..<2).map { _ in Task { try await runner.run(question) } }
        try await Self.untilTheServerHas(1, server)  // a loaded machine may take a while to send it
        for waiter in waiters { waiter.cancel() }
        for waiter in waiters { _ = await waiter.result }
        #expect(try await runner.run(question)["text"] == "fresh")
        #expect(server.bodies.count == 2)
    }

    @Test func theLifetimeComesFromTheEnvironment() throws {
        #expect(try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1"])?.cacheLifetime == nil)
        #expect(try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_CACHE_SECONDS": "600"])?.cacheLifetime
                == .seconds(600))
        #expect(try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_CACHE_SECONDS": " 10m"])?.cacheLifetime
                == .seconds(600))
        #expect(try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_CACHE_SECONDS": "0"])?.cacheLifetime
                == nil)
    }

    /// A lifetime that cannot be read stops the process that reads it, naming the variable: a typo
    /// does not turn the cache off unnoticed.
    @Test(arguments: ["ten minutes", "-5", "10 m", "99999999999999999"])
    func anUnreadableLifetimeIsAnError(_ value: String) {
        #expect {
            try LLMConfiguration.fromEnvironment(["LAZYRABBIT_LLM_URL": "http://127.0.0.1:9/v1", "LAZYRABBIT_LLM_CACHE_SECONDS": value])
        } throws: { error in
            (error as? LLMError).map { $0.kind == .misconfigured && $0.message.hasPrefix("LAZYRABBIT_LLM_CACHE_SECONDS=\"\(value)\" is not") } == true
        }
    }
}
