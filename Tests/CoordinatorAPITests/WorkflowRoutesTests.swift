@testable import CoordinatorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import LazyRabbitCoordinator
import Testing
import WorkflowJSON

@Suite struct WorkflowRoutesTests {
    @Test func createGetListVersionAndDelete() async throws {
        try await APITestHarness().test { client in
            let created = try await client.send(.post, "/v1/workflows", text: APITestHarness.greet, contentType: "application/yaml")
            #expect(created.status == .created)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.headers[.location] == "/v1/workflows/\(id)")
            #expect(created.json["name"] == "greet")
            #expect(created.json["owner"] == "ada")
            #expect(created.json["latest"]?["version"] == 1)

            let fetched = try await client.send(.get, "/v1/workflows/\(id)")
            #expect(fetched.status == .ok)
            #expect(fetched.json["latest_version"] == 1)
            #expect(fetched.json["latest"]?["source"]?.stringValue == APITestHarness.greet)

            let changed = APITestHarness.greet.replacingOccurrences(of: "name: echo", with: "name: shout")
            let version = try await client.send(.post, "/v1/workflows/\(id)/versions", json: ["definition": .string(changed)])
            #expect(version.status == .created, "\(version.text)")
            #expect(version.json["version"] == 2)
            let second = try await client.send(.get, "/v1/workflows/\(id)/versions/2")
            #expect(second.json["source"]?.stringValue == changed)
            #expect(try await client.send(.get, "/v1/workflows/\(id)/versions/1").json["source"]?.stringValue == APITestHarness.greet)
            #expect(try await client.send(.get, "/v1/workflows/\(id)/versions/9").status == .notFound)
            #expect(try await client.send(.get, "/v1/workflows/\(id)/versions/two").status == .badRequest)

            let list = try await client.send(.get, "/v1/workflows")
            #expect(list.json["workflows"]?.arrayValue?.map { $0["id"] } == [.string(id)])
            #expect(try await client.send(.get, "/v1/workflows", as: APITestHarness.bob).json["workflows"] == [])

            #expect(try await client.send(.delete, "/v1/workflows/\(id)").status == .noContent)
            #expect(try await client.send(.get, "/v1/workflows/\(id)").status == .notFound)
        }
    }

    @Test func theScheduleAndItsNextFireTimeAreShown() async throws {
        try await APITestHarness().test { client in
            let scheduled = APITestHarness.greet.replacingOccurrences(
                of: "states:", with: "schedule: { cron: \"0 9 * * MON-FRI\", timezone: Europe/Berlin, overlap: buffer_one }\nstates:")
            let created = try await client.send(.post, "/v1/workflows", text: scheduled, contentType: "application/yaml")
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"]?.stringValue)
            let schedule = try #require(try await client.send(.get, "/v1/workflows/\(id)").json["schedule"])
            #expect(schedule["cron"] == "0 9 * * MON-FRI")
            #expect(schedule["timezone"] == "Europe/Berlin")
            #expect(schedule["overlap"] == "buffer_one")
            #expect(schedule["catch_up"] == "latest")
            #expect(schedule["input"] == [:])
            let next = try #require(schedule["next_fire_at"]?.stringValue.flatMap(APIJSON.date))
            #expect(next > Date() && next < Date().addingTimeInterval(4 * 86_400))

            let plain = try await client.send(.post, "/v1/workflows", json: [
                "apiVersion": "lazyrabbit/v1", "name": "plain", "start": "done", "states": ["done": ["type": "succeed"]],
            ])
            #expect(plain.json["schedule"] == .null)
            #expect(try await client.send(.get, "/v1/workflows").json["workflows"]?.arrayValue?.first?["schedule"] == nil)

            let invalid = try await client.send(
                .post, "/v1/workflows", text: scheduled.replacingOccurrences(of: "MON-FRI", with: "MON-FRY"), contentType: "application/yaml")
            #expect(invalid.status == .unprocessableContent || invalid.status == .badRequest, "\(invalid.text)")
            #expect(invalid.text.contains("invalid_cron"))
        }
    }

    /// Past a quota a workflow is refused with 403 `quota_exceeded`, whoever else has how many;
    /// deleting one makes room. A version that adds a schedule counts as a new scheduled workflow.
    @Test func quotasBoundTheWorkflowsOfEachUser() async throws {
        try await APITestHarness(quotas: UserQuotas(workflows: 2, scheduledWorkflows: 1)).test { client in
            let nightly = APITestHarness.greet.replacingOccurrences(of: "states:", with: "schedule: { cron: \"@daily\" }\nstates:")
            func named(_ name: String, _ source: String = APITestHarness.greet) -> String {
                source.replacingOccurrences(of: "name: greet", with: "name: \(name)")
            }
            let scheduled = try await client.createWorkflow(named("first", nightly))
            let second = try await client.send(.post, "/v1/workflows", text: named("second", nightly), contentType: "application/yaml")
            #expect(second.status == .forbidden, "\(second.text)")
            #expect(second.json.errorCode == "quota_exceeded")
            #expect(second.json["error"]?["message"]?.stringValue?.contains("at most 1 scheduled workflow and has 1") == true, "\(second.text)")

            let plain = try await client.createWorkflow(named("plain"))
            let third = try await client.send(.post, "/v1/workflows", text: named("third"), contentType: "application/yaml")
            #expect(third.status == .forbidden, "\(third.text)")
            #expect(third.json["error"]?["message"]?.stringValue?.contains("at most 2 workflows and has 2") == true, "\(third.text)")
            _ = try await client.createWorkflow(named("bobs", nightly), as: APITestHarness.bob)

            let addsSchedule = try await client.send(.post, "/v1/workflows/\(plain)/versions", text: named("plain", nightly), contentType: "application/yaml")
            #expect(addsSchedule.status == .forbidden, "\(addsSchedule.text)")
            let keepsSchedule = try await client.send(.post, "/v1/workflows/\(scheduled)/versions", text: named("first", nightly), contentType: "application/yaml")
            #expect(keepsSchedule.status == .created, "a version of a scheduled workflow adds none: \(keepsSchedule.text)")

            #expect(try await client.send(.delete, "/v1/workflows/\(scheduled)").status == .noContent)
            let now = try await client.send(.post, "/v1/workflows/\(plain)/versions", text: named("plain", nightly), contentType: "application/yaml")
            #expect(now.status == .created, "\(now.text)")
            _ = try await client.createWorkflow(named("third"))
        }
    }

    /// Past the unfinished-executions quota a start (and a retry) is 429 `too_many_unfinished`;
    /// once one finishes, starting works again. Other users are not affected.
    @Test func theUnfinishedExecutionsQuotaRefusesStartsUntilOneFinishes() async throws {
        try await APITestHarness(quotas: UserQuotas(unfinishedExecutions: 2)).test { client in
            let workflow = try await client.createWorkflow()
            let first = try await client.startExecution(workflow)
            _ = try await client.startExecution(workflow)
            let third = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["input": ["name": "Ada"]])
            #expect(third.status == .tooManyRequests, "\(third.text)")
            #expect(third.json.errorCode == "too_many_unfinished")
            _ = try await client.startExecution(try await client.createWorkflow(as: APITestHarness.bob), as: APITestHarness.bob)

            #expect(try await client.send(.post, "/v1/executions/\(first)/cancel", json: [:]).status == .accepted)
            let retried = try await client.send(.post, "/v1/executions/\(first)/retry", json: [:])
            #expect(retried.status == .created, "a retry is a start like any: \(retried.text)")
            let fourth = try await client.send(.post, "/v1/workflows/\(workflow)/executions", json: ["input": ["name": "Ada"]])
            #expect(fourth.status == .tooManyRequests, "the retry took the place: \(fourth.text)")
        }
    }

    @Test func jsonDefinitionsAreAcceptedAsIsOrInTheEnvelope() async throws {
        try await APITestHarness().test { client in
            let definition: JSONValue = [
                "apiVersion": "lazyrabbit/v1", "name": "plain", "start": "done", "states": ["done": ["type": "succeed"]],
            ]
            #expect(try await client.send(.post, "/v1/workflows", json: definition).status == .created)
            let duplicate = try await client.send(.post, "/v1/workflows", json: ["definition": .string(definition.encodedString())])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json.errorCode == "conflict")
            let unsupported = try await client.send(.post, "/v1/workflows", text: "x", contentType: "application/xml")
            #expect(unsupported.status == .unsupportedMediaType)
        }
    }

    @Test func anInvalidDefinitionListsEveryProblemWithItsPosition() async throws {
        let broken = """
            apiVersion: lazyrabbit/v1
            name: broken
            start: first
            states:
              first:
                type: task
                callback: { type: handler, name: echo }
                next: nowhere
              second:
                type: pass
                nxt: first
            """
        try await APITestHarness().test { client in
            let response = try await client.send(.post, "/v1/workflows", text: broken, contentType: "text/yaml")
            #expect(response.status == .unprocessableContent)
            #expect(response.json.errorCode == "invalid_workflow")
            let problems = try #require(response.json["error"]?["details"]?.arrayValue)
            #expect(problems.count >= 2, "\(response.text)")
            for problem in problems {
                #expect(problem["code"]?.stringValue?.isEmpty == false)
                #expect(problem["message"]?.stringValue != nil)
                #expect(problem["path"]?.stringValue != nil)
            }
            let target = try #require(problems.first { $0["path"]?.stringValue == "states.first.next" }, "\(problems)")
            #expect(target["line"] == 8)
            #expect(target["column"]?.doubleValue != nil)
        }
    }

    /// More workflows than a page: the pages, cursor by cursor, hold each once, newest first.
    @Test func theListPagesWithACursor() async throws {
        try await APITestHarness().test { client in
            var created: [String] = []
            for index in 0..<5 {
                created.append(try await client.createWorkflow(APITestHarness.greet.replacingOccurrences(of: "name: greet", with: "name: greet-\(index)")))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.send(.get, "/v1/workflows?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok, "\(page.text)")
                seen += page.json["workflows"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                cursor = page.json["next_cursor"]?.stringValue
            } while cursor != nil && seen.count < 10
            #expect(seen == created.reversed())
            #expect(try await client.send(.get, "/v1/workflows?limit=0").status == .badRequest)
            #expect(try await client.send(.get, "/v1/workflows?cursor=abc").status == .badRequest)
        }
    }

    @Test func anotherUsersWorkflowIsNotFound() async throws {
        try await APITestHarness().test { client in
            let id = try await client.createWorkflow()
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await client.send(method, "/v1/workflows/\(id)", as: APITestHarness.bob)
                #expect(response.status == .notFound)
                #expect(response.json.errorCode == "not_found")
            }
            #expect(try await client.send(.post, "/v1/workflows/\(id)/executions", as: APITestHarness.bob, json: [:]).status == .notFound)
            #expect(try await client.send(.get, "/v1/workflows/\(id)", as: APITestHarness.admin).status == .ok, "admins see everyone's")
        }
    }
}
