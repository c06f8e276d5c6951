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

    /// Approvals waiting in two states: an approval that names neither would be a guess.
    @Test func approvingWithSeveralStatesWaitingNeedsTheState() async throws {
        let twoApprovals = """
            apiVersion: lazyrabbit/v1
            name: two-approvals
            start: both
            states:
              both:
                type: parallel
                branches:
                  - start: finance
                    states:
                      finance: { type: approval, message: "finance?", next: finance_done }
                      finance_done: { type: succeed }
                  - start: legal
                    states:
                      legal: { type: approval, message: "legal?", next: legal_done }
                      legal_done: { type: succeed }
                next: done
              done: { type: succeed }
            """
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow(twoApprovals))
            let unnamed = try await client.send(.post, "/v1/executions/\(id)/approve", json: ["comment": "ok"])
            #expect(unnamed.status == .conflict, "\(unnamed.text)")
            #expect(unnamed.json["error"]?["message"]?.stringValue?.contains("`finance`, `legal`") == true, "\(unnamed.text)")
            let named = try await client.send(.post, "/v1/executions/\(id)/approve", json: ["state": "legal"])
            #expect(named.status == .accepted, "\(named.text)")
            let last = try await client.send(.post, "/v1/executions/\(id)/approve")
            #expect(last.status == .accepted, "one state left waiting: no need to name it")
            #expect(try await client.send(.get, "/v1/executions/\(id)").json["status"] == "COMPLETED")
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
