import AccessControl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LazyRabbitWorker
import LocalServers
import PostgresDriver
import RabbitMQDriver
import Testing
import WorkflowJSON

/// A cluster of real processes for end-to-end tests: `lazyrabbit coordinator` on a free port and
/// `lazyrabbit worker` processes, on a scratch PostgreSQL database and `lrtest.<uuid>` RabbitMQ
/// names, with an HS256 secret to mint tokens. ``with(workers:_:)`` always kills the processes
/// and removes the queues and the database.
final class LocalCluster: @unchecked Sendable {
    // @unchecked: the process list changes only from the test that owns the cluster, one step at a time.
    let port: Int
    let prefix: String
    let pool: PostgresPool
    let environment: [String: String]
    private let secret = (0..<48).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }.map(String.init).joined()
    private(set) var coordinator: LazyRabbitCLI.Running?
    private(set) var workers: [LazyRabbitCLI.Running] = []

    private init(port: Int, prefix: String, pool: PostgresPool, environment extra: [String: String]) {
        self.port = port
        self.prefix = prefix
        self.pool = pool
        let database = pool.configuration
        let credentials = [database.user, database.password].compactMap { $0 }.joined(separator: ":")
        environment = [
            "LAZYRABBIT_DATABASE_URL": "postgres://\(credentials)@\(database.host):\(database.port)/\(database.database)",
            "LAZYRABBIT_HTTP_PORT": String(port), "LAZYRABBIT_JWT_SECRET": secret,
        ].merging(extra) { $1 }
    }

    /// Runs `body` with a ready coordinator and `workers` workers, every process with `environment` besides the cluster's own.
    static func with(
        workers: Int, workerArguments: [String] = [], environment: [String: String] = [:], _ body: (LocalCluster) async throws -> Void
    ) async throws {
        let prefix = "lrtest.\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresScratchDatabase.with(configuration: try PostgresConfiguration.fromEnvironment(), migrate: false) { pool in
            let cluster = LocalCluster(port: try freePort(), prefix: prefix, pool: pool, environment: environment)
            do {
                try await cluster.startCoordinator()
                for index in 1...max(1, workers) { try cluster.startWorker(id: "w\(index)", arguments: workerArguments) }
                try await body(cluster)
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the coordinator and waits until `/readyz` answers 200.
    func startCoordinator() async throws {
        coordinator = try LazyRabbitCLI.start(
            ["coordinator", "--queue-name-prefix", prefix, "--allow-host", "127.0.0.1"], environment: environment)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let (status, _, _) = try? await request("GET", "/readyz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ClusterError("the coordinator did not become ready: \(coordinator?.stderr.suffix(2000) ?? "")")
    }

    /// `kill -9` of the coordinator.
    func killCoordinator() async {
        await coordinator?.kill()
        coordinator = nil
    }

    /// Starts a worker process named `id`.
    func startWorker(id: String, arguments: [String] = []) throws {
        workers.append(try LazyRabbitCLI.start(
            ["worker", "--queue-name-prefix", prefix, "--worker-id", "\(prefix)-\(id)", "--allow-host", "127.0.0.1"] + arguments,
            environment: environment))
    }

    /// `kill -9` of the worker at `index`.
    func killWorker(_ index: Int) async {
        await workers[index].kill()
    }

    /// A JWT for `user` with `role`, valid for an hour.
    func token(_ user: String, role: Role = .operator) throws -> String {
        try JWTSigner.hs256(secret: Array(secret.utf8)).sign(JWTClaims(subject: user, role: role, expiresAt: Date().addingTimeInterval(3600)))
    }

    /// One HTTP request; answers the status, the JSON body (if any) and the headers.
    func request(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil, contentType: String = "application/json",
        headers: [String: String] = [:]
    ) async throws -> (Int, JSONValue?, [String: String]) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, try? JSONValue(jsonData: data), fields)
    }

    /// POSTs a workflow definition (YAML) as `token`'s user; answers its id.
    func createWorkflow(_ yaml: String, token: String) async throws -> String {
        let (status, json, _) = try await request("POST", "/v1/workflows", token: token, body: Data(yaml.utf8), contentType: "application/yaml")
        guard status == 201, let id = json?["id"]?.stringValue else { throw ClusterError("creating a workflow answered \(status): \(String(describing: json))") }
        return id
    }

    /// Starts an execution; answers its id.
    func start(_ workflowID: String, input: JSONValue = .emptyObject, token: String) async throws -> String {
        let body = try JSONValue.object(["input": input]).encodedData()
        let (status, json, _) = try await request("POST", "/v1/workflows/\(workflowID)/executions", token: token, body: body)
        guard status == 201, let id = json?["id"]?.stringValue else { throw ClusterError("starting answered \(status): \(String(describing: json))") }
        return id
    }

    /// Polls the execution until its status is one of `statuses`; answers it.
    func wait(for executionID: String, token: String, until statuses: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"],
              timeout: Duration = .seconds(60)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var last: JSONValue?
        while ContinuousClock.now < deadline {
            if let (status, json, _) = try? await request("GET", "/v1/executions/\(executionID)", token: token), status == 200 {
                last = json
                if let state = json?["status"]?.stringValue, statuses.contains(state) { return json! }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError("execution \(executionID) did not reach \(statuses.sorted()) in time; last: \(String(describing: last))")
    }

    /// The stored transitions of an execution straight from PostgreSQL: (sequence, kind, thread, from, to).
    func storedTransitions(of executionID: String) async throws -> [(sequence: Int, kind: String, thread: String, from: String?, to: String?)] {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT sequence, transition_type, thread, from_state, to_state FROM state_transitions WHERE execution_id = \(bind: executionID) ORDER BY sequence"
            ).map { row in
                (try row.decode("sequence"), try row.decode("transition_type"), try row.decode("thread"), try row.decode("from_state"), try row.decode("to_state"))
            }
        }
    }

    /// Kills every process and deletes the queues.
    func stop() async {
        for worker in workers { await worker.kill() }
        await coordinator?.kill()
        if let admin = try? await AMQPConnection.connect(AMQPConfiguration.fromEnvironment()) {
            try? await WorkerTopology(prefix: prefix).delete(on: admin, taskQueues: ["default", "billing"])
            await admin.close()
        }
    }

    /// A TCP port nobody listens on now.
    static func freePort() throws -> Int {
        guard let port = LoopbackSocket.freePort() else { throw ClusterError("no free port") }
        return port
    }
}

struct ClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
