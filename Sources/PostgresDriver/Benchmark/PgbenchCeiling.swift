import Foundation

/// The ceiling side of ``PostgresBenchmark``: `pgbench` inserting rows shaped like
/// state_transitions (same columns and indexes, without the foreign key) into a copy of the table,
/// one `INSERT` per row, one row or `batchSize` rows per transaction.
struct PgbenchCeiling {
    let configuration: PostgresConfiguration
    let options: PostgresBenchmark.Options

    func prepare(_ pool: PostgresPool) async throws {
        try await pool.withConnection { connection in
            try await connection.runScript(
                trustedSQL: """
                    CREATE TABLE pgbench_transitions (LIKE state_transitions INCLUDING DEFAULTS INCLUDING INDEXES);
                    CREATE SEQUENCE pgbench_sequence;
                    """, name: "pgbench_setup")
        }
    }

    /// Rows per second with `rowsPerTransaction` rows in each pgbench transaction.
    func measure(rowsPerTransaction: Int) async throws -> Double {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("lr-pgbench-\(UUID().uuidString).sql")
        let insert = """
            INSERT INTO pgbench_transitions (execution_id, sequence, thread, from_state, to_state, transition_type, details, created_at)
            VALUES ('pgbench-' || :client_id, nextval('pgbench_sequence'), 'main', 'A', 'B', 'state_entered', '{"attempt": 1, "duration_ms": 3}', now());
            """
        // One statement per row, as the store pipelines one statement per update.
        let body = Array(repeating: insert, count: rowsPerTransaction).joined(separator: "\n")
        try (rowsPerTransaction == 1 ? body : "BEGIN;\n\(body)\nCOMMIT;").write(to: script, atomically: true, encoding: .utf8)
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
