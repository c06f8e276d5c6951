@testable import CoordinatorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Intelligence
import LocalServers
import Testing
import WorkflowJSON

/// `POST /v1/workflows/draft` against a local server that speaks OpenAI's chat completions format.
@Suite struct WorkflowDraftRouteTests {
    static let valid = """
        apiVersion: lazyrabbit/v1
        name: nightly-ping
        start: ping
        states:
          ping: { type: task, callback: { type: log, message: ping }, end: true }
        """

    static func harness(_ server: ChatCompletionsServer) -> APITestHarness {
        var harness = APITestHarness()
        harness.drafter = WorkflowDrafter(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)), maxAttempts: 2)
        return harness
    }

    @Test func aDraftIsAnsweredAndStoredOnlyWhenAsked() async throws {
        let server = try ChatCompletionsServer([.content(Self.valid), .content("```yaml\n\(Self.valid)\n```")])
        defer { server.stop() }
        let harness = Self.harness(server)
        try await harness.test { client in
            let draft = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Log ping every night"])
            #expect(draft.status == .ok, "\(draft.text)")
            #expect(draft.json["valid"] == true && draft.json["attempts"] == 1 && draft.json["source"]?.stringValue == Self.valid + "\n")
            #expect(draft.json["usage"] == ["prompt_tokens": 12, "completion_tokens": 7])
            #expect(try await client.send(.get, "/v1/workflows").json["workflows"] == [], "a draft alone stores nothing")

            let stored = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Log ping every night", "store": true])
            #expect(stored.status == .created, "\(stored.text)")
            #expect(stored.json["name"] == "nightly-ping" && stored.json["owner"] == "ada")
            #expect(stored.headers[.location] == "/v1/workflows/\(stored.json["id"]?.stringValue ?? "?")")
        }
        // Both draftings were paid for, stored or not.
        let metrics = harness.metrics.prometheusText()
        #expect(metrics.contains(#"lazyrabbit_llm_draft_calls_total{model="gpt-4o-mini"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"lazyrabbit_llm_draft_tokens_total{kind="prompt",model="gpt-4o-mini"} 24"#), "\(metrics)")
        #expect(metrics.contains(#"lazyrabbit_llm_draft_tokens_total{kind="completion",model="gpt-4o-mini"} 14"#), "\(metrics)")
        #expect(!metrics.contains("lazyrabbit_llm_calls_total{"), "drafting is not an execution's use")
    }

    @Test func anInvalidDraftComesWithItsDiagnosticsAndIsNotStored() async throws {
        let server = try ChatCompletionsServer([.content("name: half"), .content("name: still-half")])
        defer { server.stop() }
        try await Self.harness(server).test { client in
            let draft = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Something", "store": true])
            #expect(draft.status == .ok, "\(draft.text)")
            #expect(draft.json["valid"] == false && draft.json["attempts"] == 2)
            #expect(draft.json["diagnostics"]?.arrayValue?.contains { $0["code"] == "missing_field" } == true, "\(draft.text)")
            #expect(try await client.send(.get, "/v1/workflows").json["workflows"] == [])
        }
    }

    /// An answer is counted as it comes: one taken before the model failed was paid for too.
    @Test func answersBeforeAFailureAreCounted() async throws {
        let server = try ChatCompletionsServer([.content("name: half"), .error(status: 500, message: "overloaded")])
        defer { server.stop() }
        let harness = Self.harness(server)
        try await harness.test { client in
            let failed = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Something"])
            #expect(failed.status == .badGateway, "\(failed.text)")
        }
        let metrics = harness.metrics.prometheusText()
        #expect(metrics.contains(#"lazyrabbit_llm_draft_calls_total{model="gpt-4o-mini"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"lazyrabbit_llm_draft_tokens_total{kind="prompt",model="gpt-4o-mini"} 12"#), "\(metrics)")
    }

    @Test func refusals() async throws {
        let server = try ChatCompletionsServer([.error(status: 500, message: "overloaded")])
        defer { server.stop() }
        try await Self.harness(server).test { client in
            let failed = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Something"])
            #expect(failed.status == .badGateway && failed.json.errorCode == "llm_failed", "\(failed.text)")
            #expect(failed.json["error"]?["details"]?["error_class"] == "llm_server_error")
            #expect(failed.json["error"]?["message"] == "the language model gave no answer (llm_server_error)", "no upstream words")
            #expect(try await client.send(.post, "/v1/workflows/draft", json: ["description": "  "]).status == .badRequest)
            #expect(try await client.send(.post, "/v1/workflows/draft", json: ["description": "x", "name": ""]).status == .badRequest)
            #expect(try await client.send(.post, "/v1/workflows/draft", as: APITestHarness.viewer, json: ["description": "x"]).status == .forbidden)
        }
        try await APITestHarness().test { client in
            let unavailable = try await client.send(.post, "/v1/workflows/draft", json: ["description": "Something"])
            #expect(unavailable.status == .serviceUnavailable && unavailable.json.errorCode == "llm_unavailable", "\(unavailable.text)")
        }
    }

    @Test func aUserDraftsAtMostTwoAtOnce() throws {
        let inFlight = WorkflowDraftRoute(controlPlane: APITestHarness().controlPlane, drafter: nil, usage: LLMUsageMetrics(registry: MetricsRegistry())).inFlight
        let first = try inFlight.claim(for: "ada")
        _ = try inFlight.claim(for: "ada")
        #expect(throws: InFlightQuota.Refusal.self) { _ = try inFlight.claim(for: "ada") }
        _ = try inFlight.claim(for: "bob")  // per user
        first.release()
        _ = try inFlight.claim(for: "ada")
    }
}
