import DriverSupport
import Foundation
import LazyRabbitWorker
import PostgresDriver
import RabbitMQDriver

/// One fault, end to end: scratch database, queues under a fresh prefix, the processes, the
/// workload, the fault and its heal, the drain, the check — and the cleanup on every path.
struct FaultRun: Sendable {
    let fault: Fault
    let suite: FaultSuite

    static let terminalStatuses = ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"]

    func run(into result: inout FaultResult) async throws {
        let plan = fault.plan
        let sink = try EffectSink(delay: plan.sinkDelay)
        defer { sink.stop() }
        let token = String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8))
        let prefix = "lrfault.\(token)"
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lrfault-\(fault.rawValue)-\(token)").path
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        result.logDirectory = logDirectory
        let secret = Self.randomSecret(length: 48)
        let client = try CoordinatorClient(secret: secret)
        let amqp = AMQPConfiguration.fromEnvironment()
        suite.log("\(fault.rawValue): queues \(prefix), logs \(logDirectory)")
        result = try await PostgresScratchDatabase.with(
            configuration: try PostgresConfiguration.fromEnvironment(), prefix: "lazyrabbit_fault_", migrate: true
        ) { [result] pool in
            var result = result
            let cluster = FaultCluster(
                executable: suite.executable, prefix: prefix, secret: secret, databaseURL: pool.configuration.url,
                logDirectory: logDirectory, client: client)
            do {
                try await drive(cluster: cluster, pool: pool, sink: sink, client: client, prefix: prefix, amqp: amqp, into: &result)
            } catch {
                await cluster.stopAll()
                await cleanUp(prefix: prefix, amqp: amqp)
                throw error
            }
            await cluster.stopAll()
            await cleanUp(prefix: prefix, amqp: amqp)
            return result
        }
    }

    private func drive(
        cluster: FaultCluster, pool: PostgresPool, sink: EffectSink, client: CoordinatorClient, prefix: String,
        amqp: AMQPConfiguration, into result: inout FaultResult
    ) async throws {
        let plan = fault.plan
        await cluster.setWorkerArguments(plan.lockTTLSeconds.map { ["--lock-ttl", String($0)] } ?? [])
        for index in 1...plan.coordinators { try await cluster.startCoordinator("coordinator-\(index)") }
        for index in 1...suite.workers { try await cluster.startWorker("worker-\(index)") }
        guard let first = await cluster.liveCoordinators().first else { throw FaultError("no coordinator runs") }
        let workflowID = try await client.createWorkflow(
            FaultWorkflow.yaml(name: "fault-\(fault.rawValue)", sinkURL: sink.url, branches: plan.branches, slowLastMilliseconds: plan.slowLastMilliseconds),
            at: first)

        let executions = max(4, Int((Double(suite.executions) * plan.executionShare).rounded()))
        let submissions = SubmissionLog()
        let submitter = Task { await submit(executions, of: workflowID, client: client, cluster: cluster, into: submissions) }
        defer { submitter.cancel() }
        try await Self.waitUntil("half of \(executions) executions submitted", timeout: .seconds(Double(executions) / suite.rate * 2 + 60)) {
            submissions.attempts >= executions / 2
        }
        suite.log("\(fault.rawValue): \(submissions.accepted.count) accepted; injecting the fault")
        let injection = try await FaultInjector(fault: fault, cluster: cluster, sink: sink, pool: pool, prefix: prefix, amqp: amqp, log: suite.log).inject()
        suite.log("\(fault.rawValue): healed; waiting for the rest of the workload")
        await submitter.value
        let accepted = submissions.accepted
        result.submitted = accepted.count
        result.refusedSubmissions = submissions.refused
        if let reason = submissions.lastRefusal { suite.log("\(fault.rawValue): \(submissions.refused) submissions refused (last: \(reason))") }

        let drained = await waitTerminal(accepted, pool: pool)
        if !drained { suite.log("\(fault.rawValue): not every execution was terminal within \(suite.drainTimeout)") }
        await settleQueues(prefix: prefix)
        result.unexpectedExits = await cluster.ended(among: await cluster.members.keys.filter { !injection.stopped.contains($0) }.sorted())
        let checker = InvariantChecker(pool: pool, amqp: amqp, topology: WorkerTopology(prefix: prefix))
        let report = try await checker.check(accepted: accepted, sink: sink)
        result.invariants = report
        if !report.holds(expectedDeadLetters: plan.expectedDeadLetters) {
            await dumpTransitions(of: report, pool: pool, into: result.logDirectory)
        }
        result.terminal = report.terminal
        result.sinkRequests = sink.requests
        result.lockRefusals = await cluster.logLines(containing: "runs elsewhere")
        result.lateDuplicatesAcked = await cluster.logLines(containing: "was already reported")
        let timings = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT extract(epoch FROM min(completed_at) FILTER (WHERE completed_at >= \(bind: injection.healedAt)::timestamptz)
                         - \(bind: injection.healedAt)::timestamptz)::float8 AS recover,
                       extract(epoch FROM max(completed_at) - \(bind: injection.healedAt)::timestamptz)::float8 AS drain,
                       count(*) FILTER (WHERE status = 'FAILED') AS failed
                FROM workflow_executions WHERE id = ANY(\(bind: accepted)::text[])
                """)
        }
        if let row = timings.first {
            result.timeToRecoverSeconds = try row.decode("recover", as: Double?.self)
            result.backlogDrainSeconds = try row.decode("drain", as: Double?.self).map { max(0, $0) }
            result.failed = try row.decode("failed", as: Int.self)
        }
    }

    /// Writes the transitions of the first executions a check complained about to
    /// `<logs>/<execution id>.transitions`, since the scratch database is dropped afterwards.
    private func dumpTransitions(of report: InvariantReport, pool: PostgresPool, into directory: String) async {
        let problems = report.lost + report.duplicateTransitions + report.duplicateEffects + report.auditMismatches
        let ids = Array(Set(problems.compactMap { $0.split(separator: ":").first.map(String.init) })).sorted().prefix(5)
        for id in ids {
            guard let rows = try? await pool.withConnection({ connection in
                try await connection.query(
                    """
                    SELECT sequence || ' ' || created_at::text || ' ' || thread || ' ' || transition_type || ' '
                           || coalesce(from_state, '-') || ' -> ' || coalesce(to_state, '-') || ' ' || details::text
                    FROM state_transitions WHERE execution_id = \(bind: id) ORDER BY sequence
                    """)
            }) else { continue }
            let text = rows.compactMap { try? $0.decode(at: 0, as: String.self) }.joined(separator: "\n")
            try? text.write(toFile: directory + "/\(id).transitions", atomically: true, encoding: .utf8)
        }
    }

    /// Submits `count` executions at the suite's rate to the coordinators still running (round
    /// robin), remembering every id answered with 201; a 429 is retried after its `Retry-After`.
    private func submit(_ count: Int, of workflowID: String, client: CoordinatorClient, cluster: FaultCluster, into log: SubmissionLog) async {
        let start = ContinuousClock.now
        for index in 0..<count {
            if Task.isCancelled { break }
            try? await Task.sleep(until: start + .seconds(Double(index) / suite.rate))
            let live = await cluster.liveCoordinators()
            guard !live.isEmpty else {
                log.refuse("no coordinator running")
                continue
            }
            var attempt = 0
            retry: while true {
                switch await client.startExecution(of: workflowID, at: live[index % live.count]) {
                case .accepted(let id):
                    log.accept(id)
                case .rateLimited(let delay) where attempt < 10:
                    attempt += 1
                    try? await Task.sleep(for: delay)
                    continue retry
                case .rateLimited:
                    log.refuse("rate limited 10 times")
                case .refused(let reason):
                    log.refuse(reason)
                }
                break
            }
        }
        log.finish()
    }

    /// Waits (bounded by the suite's drain timeout) until every execution in `ids` is terminal.
    private func waitTerminal(_ ids: [String], pool: PostgresPool) async -> Bool {
        let deadline = ContinuousClock.now + suite.drainTimeout
        var lastLog = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let terminal = try? await pool.withConnection { connection in
                try await connection.query(
                    "SELECT count(*) FROM workflow_executions WHERE id = ANY(\(bind: ids)::text[]) AND status = ANY(\(bind: Self.terminalStatuses)::text[])"
                ).first?.decode(at: 0, as: Int.self)
            }
            if terminal == ids.count { return true }
            if ContinuousClock.now - lastLog > .seconds(10) {
                suite.log("\(fault.rawValue): \(terminal.map(String.init) ?? "?") of \(ids.count) terminal")
                lastLog = ContinuousClock.now
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Waits up to 30 s for the prefix's work, report and delay queues to empty (late duplicates
    /// and busy-retry copies still travelling), so I5 sees the settled state.
    private func settleQueues(prefix: String) async {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let queues = await Self.queues(prefix: prefix)
            if queues.filter({ !$0.name.contains(".dead.") }).allSatisfy({ $0.messages == 0 }) { return }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Deletes every queue and exchange under `prefix` (delay queues included).
    private func cleanUp(prefix: String, amqp: AMQPConfiguration) async {
        guard let connection = try? await AMQPConnection.connect(amqp) else {
            suite.log("\(fault.rawValue): cannot reach RabbitMQ to delete the \(prefix) queues")
            return
        }
        try? await WorkerTopology(prefix: prefix).delete(on: connection, taskQueues: ["default"])
        for queue in await Self.queues(prefix: prefix) { try? await connection.deleteQueue(queue.name) }
        await connection.close()
    }

    /// Queues whose names start with `prefix.`, with their message counts (`rabbitmqctl list_queues`).
    static func queues(prefix: String) async -> [(name: String, messages: Int)] {
        guard let listing = try? await ShellCommand.run(["rabbitmqctl", "-q", "list_queues", "name", "messages"], timeout: .seconds(30)) else {
            return []
        }
        return listing.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count == 2, fields[0].hasPrefix(prefix + "."), let messages = Int(fields[1]) else { return nil }
            return (String(fields[0]), messages)
        }
    }

    /// Polls `condition` every 50 ms; throws ``FaultError`` naming `what` after `timeout`.
    static func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FaultError("timed out after \(timeout) waiting for \(what)")
    }

    static func randomSecret(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
