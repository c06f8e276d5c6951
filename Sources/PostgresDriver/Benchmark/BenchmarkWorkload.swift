import Foundation
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The store side of ``PostgresBenchmark``: executions that advance one transition per update.
struct BenchmarkWorkload {
    let store: PostgresExecutionStore
    let options: PostgresBenchmark.Options

    /// One execution per single-commit task, `batchSize` per batching task.
    func createExecutions() async throws {
        let count = options.concurrency * (1 + options.batchSize)
        try await store.pool.withConnection { connection in
            try await connection.execute(
                """
                INSERT INTO workflow_executions (id, workflow_name, definition_source, status, sequence, snapshot, initial_context,
                                                 created_at, updated_at)
                SELECT 'bench-' || g, 'bench', 'name: bench', 'RUNNING', 0, '\\x00', '{}', now(), now()
                FROM generate_series(0, \(bind: count - 1)) AS g
                """)
        }
    }

    /// Transitions per second with one commit each.
    func singleCommits() async throws -> Double {
        let perTask = max(1, options.transitions / options.concurrency)
        return try await timed(total: perTask * options.concurrency) { task in
            let id = "bench-\(task)"
            for sequence in 0..<perTask {
                _ = try await store.commit(Self.update(id, expected: sequence))
            }
        }
    }

    /// Transitions per second with `batchSize` updates (of distinct executions) per commitBatch.
    func batchedCommits() async throws -> Double {
        let rounds = max(1, options.transitions / (options.concurrency * options.batchSize))
        return try await timed(total: rounds * options.concurrency * options.batchSize) { task in
            let first = options.concurrency + task * options.batchSize
            let ids = (first..<first + options.batchSize).map { "bench-\($0)" }
            for round in 0..<rounds {
                let results = try await store.commitBatch(ids.map { Self.update($0, expected: round) })
                if let failure = results.first(where: { (try? $0.get()) != .applied }) { _ = try failure.get() }
            }
        }
    }

    /// Runs `concurrency` tasks of `work` and returns `total` divided by the elapsed seconds.
    private func timed(total: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<options.concurrency { group.addTask { try await work(task) } }
                try await group.waitForAll()
            }
        }
        let seconds = elapsed / .seconds(1)
        return Double(total) / seconds
    }

    private static func update(_ id: String, expected: Int) -> ExecutionUpdate {
        let now = Date()
        let transition = TransitionRecord(
            executionID: id, sequence: expected + 1, thread: "main", fromState: "A", toState: "B", kind: "state_entered", at: now,
            details: ["attempt": 1, "duration_ms": 3])
        return ExecutionUpdate(
            executionID: id, expectedSequence: expected, status: .running, snapshot: ExecutionSnapshot(Data(repeating: 7, count: 64)),
            transitions: [transition], updatedAt: now)
    }
}
