@testable import CoordinatorAPI
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowJSON

@Suite struct ExecutionActionRoutesTests {
    @Test func cancelThenCancelAgainConflicts() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            let cancelled = try await client.send(.post, "/v1/executions/\(id)/cancel", json: ["reason": "changed my mind"])
            #expect(cancelled.status == .accepted)
            #expect(cancelled.json["status"] == "CANCELLED")
            let again = try await client.send(.post, "/v1/executions/\(id)/cancel")
            #expect(again.status == .conflict)
            #expect(again.json.errorCode == "conflict")
        }
    }

    @Test func pauseAndResume() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            #expect(try await client.send(.post, "/v1/executions/\(id)/pause").json["status"] == "PAUSED")
            #expect(try await client.send(.post, "/v1/executions/\(id)/pause").status == .conflict)
            let resumed = try await client.send(.post, "/v1/executions/\(id)/resume")
            #expect(resumed.status == .accepted)
            #expect(resumed.json["status"] != "PAUSED")
            #expect(try await client.send(.post, "/v1/executions/\(id)/resume").status == .conflict)
        }
    }

    @Test func signalIsAcceptedAndApprovalWithNothingWaitingConflicts() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            let signal = try await client.send(.post, "/v1/executions/\(id)/signals/payment_received", json: ["amount": 12])
            #expect(signal.status == .accepted, "\(signal.text)")
            #expect(signal.json["id"] == .string(id))
            let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            let refused = try await client.send(.post, "/v1/executions/\(id)/signals/payment_received", text: deep, contentType: "application/json")
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.json.errorCode == "value_too_deep")
            let approve = try await client.send(.post, "/v1/executions/\(id)/approve", json: ["comment": "ok"])
            #expect(approve.status == .conflict)
            #expect(try await client.send(.post, "/v1/executions/\(id)/reject").status == .conflict)
        }
    }

    @Test func retryStartsANewExecutionThatSaysWhatItRetries() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            #expect(try await client.send(.post, "/v1/executions/\(id)/retry").status == .conflict, "a running execution is not retried")
            try await client.send(.post, "/v1/executions/\(id)/cancel")
            let retry = try await client.send(.post, "/v1/executions/\(id)/retry", json: ["input": ["name": "Bea"]])
            #expect(retry.status == .created, "\(retry.text)")
            #expect(retry.json["retry_of"] == .string(id))
            #expect(retry.json["id"] != .string(id))
            #expect(retry.json["input"]?["name"] == "Bea")
        }
    }
}
