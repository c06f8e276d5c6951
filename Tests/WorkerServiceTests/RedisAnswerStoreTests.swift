import Foundation
import Intelligence
import LazyRabbitWorker
import LocalServers
import RedisDriver
import Testing
import WorkflowDSL
import WorkflowDrivers
import WorkflowJSON

/// Workers share their answer caches through Redis (a real server, keys under a unique prefix).
@Suite struct RedisAnswerStoreTests {
    static func runner(_ server: ChatCompletionsServer, _ store: RedisAnswerStore) -> LLMCallRunner {
        LLMCallRunner(
            model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)),
            cache: AnswerCache(lifetime: .seconds(60), shared: store))
    }

    /// Two workers (two runners, each with its own memory): the second is answered from Redis,
    /// without a request to the model; an answer at another temperature is not shared.
    @Test func anAnswerOneWorkerPaidForIsReusedByAnother() async throws {
        let pool = try RedisPool(url: ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_URL"] ?? "redis://127.0.0.1:6379/0")
        let prefix = "lrtest:\(UUID().uuidString.prefix(8)):"
        let store = RedisAnswerStore(pool: pool, keyPrefix: prefix)
        let server = try ChatCompletionsServer([.content("first"), .content("second"), .content("third")])
        defer { server.stop() }
        let question = LLMCallback(prompt: "Same question?", temperature: 0)
        let first = try await Self.runner(server, store).run(question)
        let second = try await Self.runner(server, store).run(question)
        #expect(first["text"] == "first" && first["cached"] == nil)
        #expect(second["text"] == "first" && second["cached"] == true, "\(second)")
        #expect(server.bodies.count == 1)

        let warm = try await Self.runner(server, store).run(LLMCallback(prompt: "Same question?", temperature: 0.7))
        #expect(warm["text"] == "second" && server.bodies.count == 2)

        let keys = try await pool.command(["KEYS", prefix + "*"]).elements?.compactMap { $0.text } ?? []
        #expect(keys.count == 1 && keys.first?.hasPrefix(prefix + "llm-answer:") == true, "\(keys)")
        let ttl = try await pool.command(["PTTL", keys.first ?? ""])
        #expect(ttl.integer.map { (1...60_000).contains($0) } == true, "\(ttl)")
        if !keys.isEmpty { _ = try await pool.command(["DEL"] + keys) }
    }

    /// What Redis holds is not trusted blindly: a value that is not a kept answer is a miss.
    @Test func aValueThatIsNotAnAnswerIsAMiss() async throws {
        let pool = try RedisPool(url: ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_URL"] ?? "redis://127.0.0.1:6379/0")
        let prefix = "lrtest:\(UUID().uuidString.prefix(8)):"
        let store = RedisAnswerStore(pool: pool, keyPrefix: prefix)
        let server = try ChatCompletionsServer([.content("asked"), .content("asked again")])
        defer { server.stop() }
        let question = LLMCallback(prompt: "Anything?", temperature: 0)
        _ = try await Self.runner(server, store).run(question)
        let keys = try await pool.command(["KEYS", prefix + "*"]).elements?.compactMap { $0.text } ?? []
        _ = try await pool.command(["SET", keys.first ?? prefix + "x", "{not an answer"])
        #expect(try await Self.runner(server, store).run(question)["text"] == "asked again")
        if !keys.isEmpty { _ = try await pool.command(["DEL"] + keys) }
    }
}
