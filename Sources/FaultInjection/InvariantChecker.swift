import Foundation
public import LazyRabbitWorker
public import PostgresDriver
public import RabbitMQDriver
import WorkflowJSON

/// Checks I1–I6 of the fault suite straight from PostgreSQL and RabbitMQ, after the workload
/// drained: nothing lost, nothing applied twice, audit complete, nothing stranded, fencing held.
public struct InvariantChecker: Sendable {
    private let pool: PostgresPool
    private let amqp: AMQPConfiguration
    private let topology: WorkerTopology
    private let taskQueues: [String]

    public init(pool: PostgresPool, amqp: AMQPConfiguration, topology: WorkerTopology, taskQueues: [String] = ["default"]) {
        self.pool = pool
        self.amqp = amqp
        self.topology = topology
        self.taskQueues = taskQueues
    }

    /// Checks every invariant for the executions in `accepted`; `sink` supplies I3's wire counts.
    ///
    /// I6 is checked as "one applied outcome per task attempt": locks and fencing tokens are per
    /// task id and the coordinator compares no tokens across tasks (docs/protocol.md), so what a
    /// stale holder could break is a second report applied for the same (thread, state, visit,
    /// attempt) — counted in ``InvariantReport/staleFenceAccepted``.
    public func check(accepted: [String], sink: EffectSink?) async throws -> InvariantReport {
        var report = InvariantReport()
        report.submitted = accepted.count
        let stored = try await statuses(of: accepted)
        for id in accepted {
            guard let status = stored[id] else {
                report.lost.append("\(id): not in PostgreSQL")
                continue
            }
            guard ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"].contains(status) else {
                report.lost.append("\(id): still \(status)")
                continue
            }
            report.terminal += 1
        }
        try await checkTransitions(of: accepted, statuses: stored, into: &report)
        try await checkAudit(of: accepted, into: &report)
        try await checkQueues(into: &report)
        report.duplicateDeliveriesOnTheWire = sink?.duplicateRequests ?? 0
        return report
    }

    private func statuses(of ids: [String]) async throws -> [String: String] {
        let rows = try await pool.withConnection { connection in
            try await connection.query("SELECT id, status FROM workflow_executions WHERE id = ANY(\(bind: ids)::text[])")
        }
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("id", as: String.self), try $0.decode("status", as: String.self)) })
    }

    /// I2 and I3's effect side: per execution, contiguous sequence numbers; every (thread, state,
    /// visit) entered once; no more completions of a state than entries; the terminal transition last.
    private func checkTransitions(of ids: [String], statuses: [String: String], into report: inout InvariantReport) async throws {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT execution_id, sequence, thread, from_state, to_state, transition_type, details
                FROM state_transitions WHERE execution_id = ANY(\(bind: ids)::text[]) ORDER BY execution_id, sequence
                """)
        }
        var byExecution: [String: [(sequence: Int, thread: String, from: String?, to: String?, kind: String, details: JSONValue)]] = [:]
        for row in rows {
            byExecution[try row.decode("execution_id"), default: []].append((
                try row.decode("sequence"), try row.decode("thread"), try row.decode("from_state"), try row.decode("to_state"),
                try row.decode("transition_type"), try row.decode("details")))
        }
        for (id, transitions) in byExecution {
            if transitions.map(\.sequence) != Array(1...transitions.count) {
                report.duplicateTransitions.append("\(id): sequence numbers are not 1...\(transitions.count)")
            }
            var entered: [String: Int] = [:]
            var completed: [String: Int] = [:]
            // I6: the visit each thread is in, and the outcomes applied per (thread, state, visit, attempt).
            var currentVisit: [String: Int] = [:]
            var outcomes: [String: Int] = [:]
            for transition in transitions {
                if transition.kind == "state_entered", let state = transition.to {
                    currentVisit["\(transition.thread)|\(state)"] = transition.details["visit"]?.doubleValue.map { Int($0) } ?? 0
                }
                if ["state_completed", "state_failed"].contains(transition.kind), let state = transition.from {
                    let visit = currentVisit["\(transition.thread)|\(state)"] ?? 0
                    let attempt = transition.details["attempt"]?.doubleValue.map { Int($0) } ?? 0
                    let key = "\(transition.thread)|\(state)|\(visit)|\(attempt)"
                    outcomes[key, default: 0] += 1
                    if outcomes[key] == 2 { report.staleFenceAccepted += 1 }
                }
                if transition.kind == "state_entered", let state = transition.to {
                    let visit = transition.details["visit"]?.doubleValue.map { Int($0) } ?? 0
                    let key = "\(transition.thread)|\(state)|\(visit)"
                    entered[key, default: 0] += 1
                    if entered[key]! > 1 { report.duplicateTransitions.append("\(id): entered \(key) twice") }
                    completed["\(transition.thread)|\(state)", default: 0] += 0
                }
                if transition.kind == "state_completed", let state = transition.from {
                    completed["\(transition.thread)|\(state)", default: 0] += 1
                }
            }
            for (key, count) in completed {
                let entries = entered.filter { $0.key.hasPrefix(key + "|") }.count
                if count > entries { report.duplicateEffects.append("\(id): \(key) completed \(count)× for \(entries) entries") }
            }
            if let terminalIndex = transitions.firstIndex(where: { $0.kind.hasPrefix("execution_") && !["execution_started", "execution_paused", "execution_resumed"].contains($0.kind) }),
               terminalIndex != transitions.count - 1 {
                report.duplicateTransitions.append("\(id): \(transitions.count - 1 - terminalIndex) transition(s) after the terminal one")
            }
            if let status = statuses[id], let last = transitions.last, last.kind != "execution_\(status.lowercased())",
               ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"].contains(status) {
                report.auditMismatches.append("\(id): last transition \(last.kind) does not end in \(status)")
            }
        }
    }

    /// I4: one audit row per transition, numbered like them.
    private func checkAudit(of ids: [String], into report: inout InvariantReport) async throws {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT e.id, e.sequence,
                       (SELECT count(*) FROM state_transitions t WHERE t.execution_id = e.id) AS transitions,
                       (SELECT count(*) FROM audit_logs a WHERE a.execution_id = e.id) AS audits
                FROM workflow_executions e WHERE e.id = ANY(\(bind: ids)::text[])
                """)
        }
        for row in rows {
            let id: String = try row.decode("id")
            let sequence: Int = try row.decode("sequence")
            let transitions: Int = try row.decode("transitions")
            let audits: Int = try row.decode("audits")
            if transitions != sequence || audits != transitions {
                report.auditMismatches.append("\(id): sequence \(sequence), \(transitions) transitions, \(audits) audit rows")
            }
        }
    }

    /// I5: empty work queues, dead letters counted, no old unpublished outbox row; I6 from the store's fencing column.
    private func checkQueues(into report: inout InvariantReport) async throws {
        let connection = try await AMQPConnection.connect(amqp)
        do {
            for queue in taskQueues {
                for lane in topology.taskQueueLanes(queue) { report.strandedMessages += try await connection.stats(ofQueue: lane).messages }
                report.deadLettered += try await connection.stats(ofQueue: topology.deadLetterQueue(queue)).messages
            }
            report.strandedMessages += try await connection.stats(ofQueue: topology.reportQueue).messages
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        report.staleOutboxRows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT count(*) FROM outbox WHERE published_at IS NULL AND created_at < now() - interval '30 seconds'
                  AND (NOT headers ? 'lr-not-before' OR next_attempt_at < now() - interval '30 seconds')
                """
            ).first?.decode(at: 0, as: Int.self) ?? 0
        }
    }
}
