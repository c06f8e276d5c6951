@testable import CoordinatorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowJSON

@Suite struct ExecutionRoutesTests {
    @Test func startIsIdempotentPerKey() async throws {
        try await APITestHarness().test { client in
            let workflow = try await client.createWorkflow()
            var headers = HTTPFields()
            headers[.idempotencyKey] = "order-42"
            let first = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["input": ["n": 1]], headers: headers)
            #expect(first.status == .created, "\(first.text)")
            let id = try #require(first.json["id"]?.stringValue)
            #expect(first.headers[.location] == "/v1/executions/\(id)")
            #expect(first.json["status"] == "RUNNING")
            #expect(first.json["input"] == ["n": 1])
            #expect(first.json["workflow_id"] == .string(workflow))
            #expect(first.json["workflow_version"] == 1)
            #expect(first.json["owner"] == "ada")
            #expect(first.json["output"] == .null)

            let again = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["input": ["n": 1]], headers: headers)
            #expect(again.status == .ok)
            #expect(again.json["id"] == .string(id))
            let otherWorkflow = try await client.send(.post, "/v1/workflows/99999/executions", json: ["input": ["n": 1]], headers: headers)
            #expect(otherWorkflow.status == .conflict, "a key reused for another workflow: \(otherWorkflow.text)")
            let otherVersion = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["version": 7], headers: headers)
            #expect(otherVersion.status == .conflict)

            let fetched = try await client.send(.get, "/v1/executions/\(id)")
            #expect(fetched.status == .ok)
            #expect(fetched.json["sequence"]?.doubleValue ?? 0 > 0)
            #expect(fetched.json["created_at"]?.stringValue?.hasSuffix("Z") == true)
        }
    }

    /// Keys are at most 255 bytes (not characters: combining marks made one key 80 KB), and the
    /// scheduler's `schedule:` keys are not for clients.
    @Test func idempotencyKeysAreBoundedInBytesAndTheSchedulersAreReserved() async throws {
        try await APITestHarness().test { client in
            let workflow = try await client.createWorkflow()
            for key in ["a" + String(repeating: "\u{0301}", count: 200), "schedule:\(workflow):1767225600"] {
                var headers = HTTPFields()
                headers[.idempotencyKey] = key
                let refused = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["input": ["name": "Ada"]], headers: headers)
                #expect(refused.status == .badRequest && refused.json.errorCode == "invalid_header", "\(refused.text)")
            }
        }
    }

    /// Ids are percent-decoded (children of map iterations have `[0]` in theirs, which clients encode).
    @Test func pathParametersArePercentDecoded() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            let encoded = id.replacingOccurrences(of: "-", with: "%2D")
            let fetched = try await client.send(.get, "/v1/executions/\(encoded)")
            #expect(fetched.status == .ok && fetched.json["id"] == .string(id), "\(fetched.text)")
            let transitions = try await client.send(.get, "/v1/executions/\(encoded)/transitions")
            #expect(transitions.status == .ok)
            let malformed = try await client.send(.get, "/v1/executions/%ZZ")
            #expect(malformed.status == .badRequest, "\(malformed.text)")
        }
    }

    @Test func listFiltersByStatusAndPagesWithACursor() async throws {
        try await APITestHarness().test { client in
            let workflow = try await client.createWorkflow()
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await client.startExecution(workflow)) }
            try await client.send(.post, "/v1/executions/\(ids[0])/cancel", json: ["reason": "test"])
            _ = try await client.startExecution(try await client.createWorkflow(as: APITestHarness.bob), as: APITestHarness.bob)

            let cancelled = try await client.send(.get, "/v1/executions?status=CANCELLED,FAILED")
            #expect(cancelled.json["executions"]?.arrayValue?.map { $0["id"] } == [.string(ids[0])])

            var seen: [JSONValue] = []
            var uri = "/v1/executions?status=running&limit=2&workflow_id=\(workflow)"
            while true {
                let page = try await client.send(.get, uri)
                #expect(page.status == .ok, "\(page.text)")
                let executions = try #require(page.json["executions"]?.arrayValue)
                #expect(executions.count <= 2)
                seen += executions.compactMap { $0["id"] }
                guard let cursor = page.json["next_cursor"]?.stringValue else { break }
                uri = "/v1/executions?status=running&limit=2&workflow_id=\(workflow)&cursor=\(cursor)"
            }
            #expect(Set(seen) == Set(ids.dropFirst().map(JSONValue.string)), "only ada's running ones, each once")
            #expect(seen.count == 4)

            let everyone = try await client.send(.get, "/v1/executions?workflow=greet", as: APITestHarness.admin)
            #expect(everyone.json["executions"]?.arrayValue?.count == 6)
            let future = try await client.send(.get, "/v1/executions?created_after=2999-01-01T00:00:00Z")
            #expect(future.json["executions"] == [])

            // The last cursor is forged: base64url of "10000000000000000:x", a time past year 9999.
            for bad in ["status=SLEEPING", "status=", "status=,", "limit=0", "cursor=nope!", "created_before=yesterday", "cursor=MTAwMDAwMDAwMDAwMDAwMDA6eA"] {
                let response = try await client.send(.get, "/v1/executions?\(bad)")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.json.errorCode == "invalid_query")
            }
        }
    }

    @Test func transitionsAfterASequence() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            try await client.send(.post, "/v1/executions/\(id)/pause")
            let all = try #require(try await client.send(.get, "/v1/executions/\(id)/transitions").json["transitions"]?.arrayValue)
            #expect(all.count >= 2)
            let sequences = all.compactMap { $0["sequence"]?.doubleValue }
            #expect(sequences == sequences.sorted())
            #expect(all.first?["execution_id"] == .string(id))
            let later = try #require(try await client.send(.get, "/v1/executions/\(id)/transitions?after=1").json["transitions"]?.arrayValue)
            #expect(later.count == all.count - 1)
            #expect(try await client.send(.get, "/v1/executions/\(id)/transitions?after=-1").status == .badRequest)
        }
    }

    @Test func anotherUsersExecutionIsNotFoundNotForbidden() async throws {
        try await APITestHarness().test { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            for (method, path) in [(HTTPRequest.Method.get, ""), (.get, "/transitions"), (.post, "/cancel"), (.post, "/pause")] {
                let response = try await client.send(method, "/v1/executions/\(id)\(path)", as: APITestHarness.bob)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.json.errorCode == "not_found")
            }
            #expect(try await client.send(.get, "/v1/executions/\(id)", as: APITestHarness.admin).status == .ok)
        }
    }
}
