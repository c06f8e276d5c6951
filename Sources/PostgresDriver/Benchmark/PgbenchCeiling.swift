import Foundation

/// The ceiling side of ``PostgresBenchmark``: `pgbench` doing the writes one applied transition
/// costs the store — update the execution's row, insert the transition, insert its audit entry —
/// into copies of those tables (same columns and indexes, no foreign keys), one transition or
/// `batchSize` transitions per transaction. What pgbench cannot do is the store's checks
/// (sequence, fencing token), so this is an upper bound.
struct PgbenchCeiling {
    let configuration: PostgresConfiguration
    let options: PostgresBenchmark.Options

    func prepare(_ pool: PostgresPool) async throws {
        try await pool.withConnection { connection in
            try await connection.runScript(
                trustedSQL: """
                    CREATE TABLE pgbench_transitions (LIKE state_transitions INCLUDING DEFAULTS INCLUDING INDEXES);
                    CREATE TABLE pgbench_audit (LIKE audit_logs INCLUDING DEFAULTS INCLUDING INDEXES);
                    CREATE TABLE pgbench_executions (id text PRIMARY KEY, sequence bigint NOT NULL, updated_at timestamptz NOT NULL);
                    INSERT INTO pgbench_executions SELECT 'pgbench-' || n, 0, now() FROM generate_series(0, \(options.concurrency)) AS n;
                    CREATE SEQUENCE pgbench_sequence;
                    """, name: "pgbench_setup")
        }
    }

    /// Transitions per second with `rowsPerTransaction` transitions in each pgbench transaction.
    func measure(rowsPerTransaction: Int) async throws -> Double {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("lr-pgbench-\(UUID().uuidString).sql")
        let transition = """
            UPDATE pgbench_executions SET sequence = sequence + 1, updated_at = now() WHERE id = 'pgbench-' || :client_id;
            INSERT INTO pgbench_transitions (execution_id, sequence, thread, from_state, to_state, transition_type, details, created_at)
            VALUES ('pgbench-' || :client_id, nextval('pgbench_sequence'), 'main', 'A', 'B', 'state_entered', '{"attempt": 1, "duration_ms": 3}', now());
            INSERT INTO pgbench_audit (execution_id, level, state, event_type, message) VALUES (NULL, 'INFO', 'B', 'state_entered', 'A -> B');
            """
        let body = Array(repeating: transition, count: rowsPerTransaction).joined(separator: "\n")
        try "BEGIN;\n\(body)\nCOMMIT;".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        var arguments = [
            options.pgbenchPath, "-n", "-c", String(options.concurrency), "-j", "2", "-T", String(options.pgbenchSeconds),
            "-f", script.path, "-h", configuration.host, "-p", String(configuration.port),
        ]
        if let user = configuration.user { arguments += ["-U", user] }
        arguments.append(configuration.database)
        let outcome = await ChildProcess.run(arguments, environment: configuration.password.map { ["PGPASSWORD": $0] } ?? [:])
        guard outcome.status == 0, let tps = Self.transactionsPerSecond(outcome.output) else {
            throw PostgresError(code: "58000", message: "pgbench failed (\(outcome.status)): \(outcome.output.suffix(500))")
        }
        return tps * Double(rowsPerTransaction)
    }

    /// The `tps = 1234.5 (without initial connection time)` figure.
    static func transactionsPerSecond(_ output: String) -> Double? {
        output.split(separator: "\n").lazy.compactMap { line -> Double? in
            guard line.hasPrefix("tps = ") else { return nil }
            return Double(line.dropFirst(6).prefix { $0 != " " })
        }.first
    }
}
