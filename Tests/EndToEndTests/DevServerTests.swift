import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WorkflowJSON

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
