import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import AccessControl
import Testing
import WorkflowJSON
import WorkflowProtocol

/// `lazyrabbit dev`: the API and a worker pool in one process on SQLite, no servers; killed with
/// `kill -9` and started again, it finishes what was running.
@Suite struct DevServerTests {
    @Test func aKilledDevServerFinishesItsExecutionsAfterARestart() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let database = directory.appendingPathComponent("dev.sqlite").path
        let port = try LocalCluster.freePort()
        let arguments = ["dev", "--db", database, "--port", String(port)]
        var server = try LazyRabbitCLI.start(arguments)
        do {
            try await Self.waitUntilReady(port: port)
            let token = try String(contentsOfFile: database + ".token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let workflow = """
                apiVersion: lazyrabbit/v1
                name: nap
                start: first
                states:
                  first: { type: task, callback: { type: handler, name: echo, input: { step: 1 } }, output: one, next: nap }
                  nap: { type: wait, duration: 5s, next: last }
                  last: { type: task, callback: { type: handler, name: echo, input: { step: 2 } }, output: two, next: done }
                  done: { type: succeed }
                """
            let created = try await Self.call(port, "POST", "/v1/workflows", token: token, body: workflow, contentType: "application/yaml")
            let workflowID = try #require(created["id"]?.stringValue)
            let started = try await Self.call(port, "POST", "/v1/workflows/\(workflowID)/executions", token: token, body: #"{"input": {}}"#)
            let executionID = try #require(started["id"]?.stringValue)
            // Poll rather than sleep: a loaded machine may take a while to get the run to its wait.
            var status: JSONValue = .null
            let waitDeadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < waitDeadline, status != "WAITING" {
                status = try await Self.call(port, "GET", "/v1/executions/\(executionID)", token: token)["status"] ?? .null
                if status != "WAITING" { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(status == "WAITING", "stopped in the middle of the wait")

            await server.kill()
            server = try LazyRabbitCLI.start(arguments)
            try await Self.waitUntilReady(port: port)
            #expect(try String(contentsOfFile: database + ".token", encoding: .utf8).contains(token), "the same admin token after a restart")
            var final: JSONValue = .null
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                final = try await Self.call(port, "GET", "/v1/executions/\(executionID)", token: token)
                if final["status"] == "COMPLETED" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(final["status"] == "COMPLETED", "resumed after the restart: \(final)")
            #expect(final["output"]?["two"]?["step"] == 2)
            let history = try await Self.call(port, "GET", "/v1/executions/\(executionID)/transitions", token: token)
            let entered = history["transitions"]?.arrayValue?.filter { $0["kind"] == "state_entered" }.compactMap { $0["to_state"]?.stringValue } ?? []
            #expect(entered == ["first", "nap", "last", "done"], "no state entered twice across the restart: \(entered)")
        } catch {
            await server.kill()
            throw error
        }
        await server.kill()
    }

    /// Two users with a workflow named `helper` each: a `workflow: helper` callback starts the
    /// parent's owner's own, a name only the other user has is not found, and the child
    /// execution belongs to the parent's owner (visible to them, not to the other user).
    @Test func childWorkflowsAreLookedUpAmongTheParentOwnersWorkflows() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let secret = "a secret for the dev server end-to-end test"
        let port = try LocalCluster.freePort()
        let server = try LazyRabbitCLI.start(
            ["dev", "--db", directory.appendingPathComponent("dev.sqlite").path, "--port", String(port)],
            environment: ["LAZYRABBIT_JWT_SECRET": secret])
        do {
            try await Self.waitUntilReady(port: port)
            let signer = try JWTSigner.hs256(secret: Array(secret.utf8))
            let ada = try signer.sign(JWTClaims(subject: "ada", role: .operator, expiresAt: Date().addingTimeInterval(3600)))
            let bob = try signer.sign(JWTClaims(subject: "bob", role: .operator, expiresAt: Date().addingTimeInterval(3600)))
            func create(_ source: String, as token: String) async throws -> String {
                let created = try await Self.call(port, "POST", "/v1/workflows", token: token, body: source, contentType: "application/yaml")
                return try #require(created["id"]?.stringValue, "\(created)")
            }
            func run(_ workflowID: String, as token: String) async throws -> JSONValue {
                let started = try await Self.call(port, "POST", "/v1/workflows/\(workflowID)/executions", token: token, body: #"{"input": {}}"#)
                let id = try #require(started["id"]?.stringValue, "\(started)")
                return try await Self.finished(port, id, token: token)
            }
            func caller(_ name: String, calling child: String) -> String {
                """
                apiVersion: lazyrabbit/v1
                name: \(name)
                start: call
                states:
                  call: { type: task, callback: { type: workflow, workflow: \(child) }, output: child, next: done }
                  done: { type: succeed }
                """
            }
            func answering(_ name: String, _ who: String) -> String {
                """
                apiVersion: lazyrabbit/v1
                name: \(name)
                start: answer
                states:
                  answer: { type: pass, result: { who: \(who) }, output: said, next: done }
                  done: { type: succeed }
                """
            }
            let adasHelper = try await create(answering("helper", "ada"), as: ada)
            _ = try await create(answering("helper", "bob"), as: bob)
            _ = try await create(answering("adas-only", "ada"), as: ada)

            let adasRun = try await run(try await create(caller("parent", calling: "helper"), as: ada), as: ada)
            #expect(adasRun["output"]?["child"]?["said"]?["who"] == "ada", "\(adasRun)")
            let bobsRun = try await run(try await create(caller("parent", calling: "helper"), as: bob), as: bob)
            #expect(bobsRun["output"]?["child"]?["said"]?["who"] == "bob", "\(bobsRun)")
            let stray = try await run(try await create(caller("stray", calling: "adas-only"), as: bob), as: bob)
            #expect(stray["status"] == "FAILED" && stray["error"]?["error"] == "workflow_not_found", "\(stray)")

            let adasExecutions = try await Self.call(port, "GET", "/v1/executions", token: ada)["executions"]?.arrayValue ?? []
            let child = try #require(adasExecutions.first { $0["parent_id"] == adasRun["id"] }, "ada sees her child: \(adasExecutions)")
            #expect(child["owner"] == "ada" && child["workflow_id"]?.stringValue == adasHelper)
            let childID = try #require(child["id"]?.stringValue)
            let asBob = try await Self.call(port, "GET", "/v1/executions/\(childID)", token: bob)
            #expect(asBob["error"]?["code"] == "not_found", "another user's child is not shown: \(asBob)")
        } catch {
            await server.kill()
            throw error
        }
        await server.kill()
    }

    /// Polls execution `id` until it is terminal (30 s at most) and returns it.
    static func finished(_ port: Int, _ id: String, token: String) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let execution = try await call(port, "GET", "/v1/executions/\(id)", token: token)
            if let status = execution["status"]?.stringValue.flatMap(ExecutionStatus.init(rawValue:)), status.isTerminal { return execution }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError("execution \(id) did not finish within 30 s")
    }

    static func waitUntilReady(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError("the dev server did not become ready")
    }

    static func call(
        _ port: Int, _ method: String, _ path: String, token: String, body: String? = nil, contentType: String = "application/json"
    ) async throws -> JSONValue {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONValue(jsonData: data)
    }
}
