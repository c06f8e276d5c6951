import AccessControl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LocalServers
import RedisDriver
import Testing
import WorkflowJSON

/// The distributed product with real processes: a coordinator, two `lazyrabbit worker`s and the
/// SDK's example worker, the three servers, HTTP callbacks to a real local server, everything
/// submitted over the REST API and checked in PostgreSQL. (Integration phase of scripts/test.)
@Suite(.serialized) struct ClusterTests {
    static func example(_ name: String) throws -> String {
        try String(contentsOf: LazyRabbitCLI.root.appendingPathComponent("examples/\(name).yaml"), encoding: .utf8)
    }

    static func input(_ name: String) throws -> JSONValue {
        try JSONValue(jsonData: Data(contentsOf: LazyRabbitCLI.root.appendingPathComponent("examples/inputs/\(name).json")))
    }

    @Test func everyExampleCompletesOnTheCluster() async throws {
        let inventory = try TestHTTPServer { _ in .json(["sku": "desk", "available": 12]) }
        defer { inventory.stop() }
        try await LocalCluster.with(workers: 2) { cluster in
            let billing = try LazyRabbitCLI.start(
                [], environment: cluster.environment.merging(["LAZYRABBIT_QUEUE_PREFIX": cluster.prefix]) { $1 },
                executable: LazyRabbitCLI.root.appendingPathComponent(".build/debug/custom-worker"))
            do {
                try await runEveryExample(on: cluster, inventory: inventory)
            } catch {
                await billing.kill()
                throw error
            }
            await billing.kill()
        }
    }

    private func runEveryExample(on cluster: LocalCluster, inventory: TestHTTPServer) async throws {
        let token = try cluster.token("ada")
        var ids: [String: String] = [:]
        for name in ["send-welcome-email", "customer-onboarding", "order-fanout", "refund-approval", "flaky-http-service",
                     "retry-with-backoff", "parallel-setup", "invoice", "order-triage"] {
            ids[name] = try await cluster.createWorkflow(try Self.example(name), token: token)
        }
        let runs: [(String, JSONValue)] = [
            ("customer-onboarding", try Self.input("customer")), ("order-fanout", try Self.input("order")),
            ("refund-approval", ["amount": 80, "customer": "c-7"]), ("flaky-http-service", ["service_url": .string(inventory.url("/inventory"))]),
            ("retry-with-backoff", .emptyObject), ("parallel-setup", .emptyObject),
            ("send-welcome-email", ["email": "ada@example.com", "name": "Ada"]), ("invoice", ["order_id": "A-17", "amount": 42.5]),
            ("order-triage", IntelligenceCommandTests.order),  // no model on this cluster: the order is held
        ]
        var executions: [String: String] = [:]
        for (name, input) in runs { executions[name] = try await cluster.start(ids[name]!, input: input, token: token) }

        // The ones that wait for a person or a signal get it over the API.
        _ = try await cluster.wait(for: executions["order-fanout"]!, token: token, until: ["WAITING"])
        #expect(try await cluster.request("POST", "/v1/executions/\(executions["order-fanout"]!)/approve", token: token, body: Data("{}".utf8)).0 == 202)
        _ = try await cluster.wait(for: executions["refund-approval"]!, token: token, until: ["WAITING"])
        #expect(try await cluster.request("POST", "/v1/executions/\(executions["refund-approval"]!)/approve", token: token, body: Data(#"{"comment": "ok"}"#.utf8)).0 == 202)
        #expect(try await cluster.request("POST", "/v1/executions/\(executions["parallel-setup"]!)/signals/payment_received", token: token, body: Data(#"{"amount": 99}"#.utf8)).0 == 202)

        for (name, id) in executions {
            let final = try await cluster.wait(for: id, token: token)
            #expect(final["status"] == "COMPLETED", "\(name) ended \(final)")
            let transitions = try await cluster.storedTransitions(of: id)
            #expect(transitions.map(\.sequence) == Array(1...max(1, transitions.count)), "\(name): contiguous history in PostgreSQL")
            #expect(final["sequence"]?.doubleValue.map(Int.init) == transitions.count, "\(name): the row's sequence is its last transition")
            #expect(transitions.last?.kind == "execution_completed")
        }
        #expect(inventory.requestCount(path: "/inventory") >= 1, "the http callback reached the local server")
        let invoice = try await cluster.wait(for: executions["invoice"]!, token: token)
        #expect(invoice["output"]?["invoice"]?["invoice"] == "INV-A-17", "the SDK's custom worker ran send_invoice")
        let triage = try await cluster.wait(for: executions["order-triage"]!, token: token)
        #expect(triage["output"]?["outcome"] == "held for review", "the ai rule got no answer without a model, and fails closed: \(triage)")

        // Both workers took tasks (their heartbeats count what they processed).
        let registry = WorkerRegistry(pool: try RedisPool(url: ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_URL"] ?? "redis://127.0.0.1:6379/0"))
        var processed: [String: Int] = [:]
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let beats = try await registry.workers().filter { $0.workerID.hasPrefix(cluster.prefix + "-w") }
            processed = Dictionary(uniqueKeysWithValues: beats.map { ($0.workerID, $0.processed) })
            if processed.count == 2, processed.values.allSatisfy({ $0 > 0 }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(processed.count == 2 && processed.values.allSatisfy { $0 > 0 }, "tasks spread across both workers: \(processed)")
        let listed = try await LazyRabbitCLI.run(["admin", "workers", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains("\(cluster.prefix)-w1") && listed.stdout.contains("\(cluster.prefix)-w2"))
        let database = ["--database-url", cluster.environment["LAZYRABBIT_DATABASE_URL"]!]
        let listing = try await LazyRabbitCLI.run(["admin", "executions", "--status", "COMPLETED", "--limit", "50"] + database)
        #expect(listing.status == 0 && listing.stdout.contains(executions["invoice"]!), "\(listing.stdout)")
        let timeline = try await LazyRabbitCLI.run(["admin", "timeline", executions["invoice"]!] + database)
        #expect(timeline.status == 0 && timeline.stdout.contains("execution_completed"), "\(timeline.stdout)")
        let queues = try await LazyRabbitCLI.run(["admin", "queues", "--queue-name-prefix", cluster.prefix])
        #expect(queues.status == 0 && queues.stdout.contains("\(cluster.prefix).tasks.default"), "\(queues.stdout)")
    }

    @Test func aKilledWorkerAndARestartedCoordinatorLoseNothing() async throws {
        let slow = try TestHTTPServer { _ in .json(["ok": true], delay: .seconds(2)) }
        defer { slow.stop() }
        let workflow = """
            apiVersion: lazyrabbit/v1
            name: slow-calls
            start: call
            states:
              call: { type: task, callback: { type: http, method: POST, url: "\(slow.url("/effect"))", body: { n: 1 } }, timeout: 20s, next: nap }
              nap: { type: wait, duration: 1s, next: again }
              again: { type: task, callback: { type: http, method: POST, url: "\(slow.url("/effect"))", body: { n: 2 } }, timeout: 20s, next: done }
              done: { type: succeed }
            """
        try await LocalCluster.with(workers: 2, workerArguments: ["--lock-ttl", "3"]) { cluster in
            let token = try cluster.token("grace")
            let workflowID = try await cluster.createWorkflow(workflow, token: token)
            var executions: [String] = []
            for _ in 0..<6 { executions.append(try await cluster.start(workflowID, token: token)) }
            try await Task.sleep(for: .milliseconds(800))  // callbacks are in flight on both workers
            await cluster.killWorker(0)
            try cluster.startWorker(id: "w3", arguments: ["--lock-ttl", "3"])
            await cluster.killCoordinator()  // mid-run: reports wait in RabbitMQ, steps in the outbox
            try await Task.sleep(for: .milliseconds(500))
            try await cluster.startCoordinator()
            for id in executions {
                let final = try await cluster.wait(for: id, token: token, timeout: .seconds(90))
                #expect(final["status"] == "COMPLETED")
                let transitions = try await cluster.storedTransitions(of: id)
                #expect(transitions.map(\.sequence) == Array(1...max(1, transitions.count)), "no gap, no transition twice")
                let completions = transitions.filter { $0.kind == "state_completed" }.map { "\($0.thread)/\($0.from ?? "")" }
                #expect(completions.count == Set(completions).count, "every state completed once: \(completions)")
            }
            #expect(slow.requestCount(path: "/effect") >= 12, "every call reached the service at least once")
        }
    }

    /// An `ai:` rule on the cluster: the coordinator's engine sends the question through RabbitMQ,
    /// a worker asks the model (a local server in the chat completions wire format), and the
    /// answer, stored in PostgreSQL, picks the branch.
    @Test func anAIRuleIsAnsweredThroughAWorker() async throws {
        let model = try ChatCompletionsServer([.content(#"{"answer": true, "confidence": 88, "explanation": "countries differ"}"#)])
        defer { model.stop() }
        try await LocalCluster.with(workers: 1, environment: ["LAZYRABBIT_LLM_URL": model.baseURL]) { cluster in
            let token = try cluster.token("ada")
            let workflowID = try await cluster.createWorkflow(try Self.example("order-triage"), token: token)
            let id = try await cluster.start(workflowID, input: IntelligenceCommandTests.order, token: token)
            let final = try await cluster.wait(for: id, token: token)
            #expect(final["status"] == "COMPLETED")
            let transitions = try await cluster.storedTransitions(of: id)
            #expect(transitions.contains { $0.kind == "ai_decided" && $0.to == "review" })
            #expect(transitions.contains { $0.kind == "choice_made" && $0.to == "review" })
            #expect(model.bodies.count == 1)
            let (metrics, _) = try await URLSession.shared.data(from: try #require(URL(string: cluster.baseURL + "/metrics")))
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains(#"lazyrabbit_llm_tokens_total{kind="prompt",model="gpt-4o-mini"} 12"#), "the coordinator counted the answer's tokens")
        }
    }

    @Test func theAPIRefusesWhatItMust() async throws {
        try await LocalCluster.with(workers: 1) { cluster in
            let ada = try cluster.token("ada-\(UUID().uuidString.prefix(6))")
            let workflowID = try await cluster.createWorkflow(try Self.example("retry-with-backoff"), token: ada)
            let execution = try await cluster.start(workflowID, token: ada)

            #expect(try await cluster.request("GET", "/v1/executions").0 == 401, "no token")
            let garbage = try await cluster.request("GET", "/v1/executions", token: "not-a-token")
            #expect(garbage.0 == 401 && garbage.2["www-authenticate"] != nil && garbage.1?["error"]?["code"] == "unauthorized")
            let viewer = try cluster.token("ada-viewer", role: .viewer)
            #expect(try await cluster.request("POST", "/v1/workflows/\(workflowID)/executions", token: viewer, body: Data("{}".utf8)).0 == 403)
            let mallory = try cluster.token("mallory")
            let foreign = try await cluster.request("GET", "/v1/executions/\(execution)", token: mallory)
            #expect(foreign.0 == 404 && foreign.1?["error"]?["code"] == "not_found", "another user's id is not found, not forbidden")
            #expect(try await cluster.request("GET", "/v1/workflows/\(workflowID)", token: mallory).0 == 404)
            let huge = Data(repeating: UInt8(ascii: "a"), count: 2 << 20)
            #expect(try await cluster.request("POST", "/v1/workflows", token: ada, body: huge, contentType: "application/yaml").0 == 413)
            let invalid = try await cluster.request(
                "POST", "/v1/workflows", token: ada, body: Data("apiVersion: lazyrabbit/v1\nname: broken\nstart: nowhere\nstates:\n  a: { type: succeed }\n".utf8),
                contentType: "application/yaml")
            #expect(invalid.0 == 422)
            #expect(invalid.1?["error"]?["details"]?.arrayValue?.contains { $0["line"] != nil && $0["path"] != nil } == true)

            let greedy = try cluster.token("greedy-\(UUID().uuidString.prefix(6))")
            var limited: (Int, JSONValue?, [String: String])?
            for _ in 0..<120 {
                let answer = try await cluster.request("GET", "/v1/workflows", token: greedy)
                if answer.0 == 429 { limited = answer; break }
            }
            #expect(limited?.2["retry-after"] != nil, "a burst past the per-caller budget answers 429 with Retry-After")
        }
    }
}
