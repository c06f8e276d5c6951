@testable import CoordinatorAPI
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowJSON

@Suite struct SecurityTests {
    @Test func missingOrGarbageTokensAre401WithAChallenge() async throws {
        try await APITestHarness().test { client in
            for authorization in [nil, "Bearer nonsense", "Basic YWRhOmFkYQ==", ""] {
                let response = try await client.send(.get, "/v1/workflows", as: authorization)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.json.errorCode == "unauthorized")
                #expect(response.json["error"]?["details"] == .null)
            }
            #expect(try await client.send(.get, "/v1/executions?access_token=ada-token", as: nil).status == .unauthorized,
                    "query tokens only for WebSocket upgrades")
        }
    }

    @Test func viewersReadButCannotStartOrWrite() async throws {
        try await APITestHarness().test { client in
            let workflow = try await client.createWorkflow(as: APITestHarness.admin)
            #expect(try await client.send(.get, "/v1/workflows", as: APITestHarness.viewer).status == .ok)
            let start = try await client.send(.post, "/v1/workflows/\(workflow)/executions", as: APITestHarness.viewer, json: [:])
            #expect(start.status == .forbidden)
            #expect(start.json.errorCode == "forbidden")
            let create = try await client.send(.post, "/v1/workflows", as: APITestHarness.viewer, text: APITestHarness.greet)
            #expect(create.status == .forbidden)
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        var harness = APITestHarness()
        harness.configuration.limits.bodyBytes = 512
        try await harness.test { client in
            let big = APITestHarness.greet + "\n#" + String(repeating: "x", count: 1024)
            let response = try await client.send(.post, "/v1/workflows", text: big, contentType: "application/yaml")
            #expect(response.status == .contentTooLarge)
            #expect(response.json.errorCode == "payload_too_large")
        }
    }

    @Test func requestsOverTheRateAre429WithRetryAfter() async throws {
        var harness = APITestHarness()
        harness.rateLimiter = InMemoryRateLimiter(policy: .init(capacity: 3, refillPerSecond: 0.5))
        try await harness.test { client in
            for _ in 0..<3 { #expect(try await client.send(.get, "/v1/workflows").status == .ok) }
            let limited = try await client.send(.get, "/v1/workflows")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.json.errorCode == "rate_limited")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect((1...2).contains(retryAfter))
            #expect(try await client.send(.get, "/v1/workflows", as: APITestHarness.bob).status == .ok, "budgets are per principal")
        }
    }

    @Test func malformedJSONIs400WithTheFieldPath() async throws {
        try await APITestHarness().test { client in
            let workflow = try await client.createWorkflow()
            let broken = try await client.send(.post, "/v1/workflows/\(workflow)/executions", text: "{\"input\": ", contentType: "application/json")
            #expect(broken.status == .badRequest)
            #expect(broken.json.errorCode == "malformed_json")
            let wrongType = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["version": "one"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.json["error"]?["details"]?["path"] == "version")
            #expect(wrongType.json["error"]?["message"]?.stringValue?.hasPrefix("malformed JSON body at `version`: expected") == true,
                    "the field is named as text, not as the Swift type of its characters")
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInTheErrorShape() async throws {
        try await APITestHarness().test { client in
            let unknown = try await client.send(.get, "/v2/nothing")
            #expect(unknown.status == .notFound)
            #expect(unknown.json.errorCode == "not_found")
            #expect(unknown.json["error"]?["message"]?.stringValue != nil)
            let wrongMethod = try await client.send(.put, "/v1/workflows")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.json.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET, POST")
        }
    }
}
