import LocalServers
import WorkflowDSL
import WorkflowJSON

/// What a workload runs, whatever the mode: the workflow, how many executions per round (rounds
/// run one after another), and for W4 the local server its calls go to.
struct WorkloadPlan {
    var definition: WorkflowDefinition
    var source: String
    var rounds: [Int]
    var stepsPerExecution: Int
    /// For W4: how long each call takes on the server.
    var callSeconds: Double?
    var server: TestHTTPServer?

    /// The plan of `workload`, whose no-op steps call the handler `stepHandler`.
    init(_ workload: Workload, stepHandler: String) throws {
        switch workload {
        case .w1:
            source = WorkloadDefinitions.chain(name: "bench-chain", steps: 10, handler: stepHandler)
            rounds = [1000]
            stepsPerExecution = 10
        case .w2:
            source = WorkloadDefinitions.fanOut(width: 10, handler: stepHandler)
            rounds = [200]
            stepsPerExecution = 12
        case .w3:
            source = WorkloadDefinitions.chain(name: "bench-latency", steps: 20, handler: stepHandler)
            rounds = Array(repeating: 1, count: 20)
            stepsPerExecution = 20
        case .w4:
            // Kept-alive connections: a call pays neither a TCP handshake nor a server thread.
            let server = try TestHTTPServer(keepAlive: true) { _ in .json(["ok": true], delay: .milliseconds(50)) }
            source = WorkloadDefinitions.httpChain(steps: 3, url: server.url("/slow"))
            rounds = [500]
            stepsPerExecution = 3
            callSeconds = 0.05
            self.server = server
        }
        definition = try WorkloadDefinitions.load(source, allowing: workload == .w4 ? ["127.0.0.1"] : [])
    }

    /// Executions over all rounds.
    var executions: Int { rounds.reduce(0, +) }
}
