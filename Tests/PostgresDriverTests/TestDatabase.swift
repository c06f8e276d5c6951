import Foundation
import PostgresDriver
import Testing
import WorkflowDrivers

/// Every PostgreSQL test runs in this serialized suite: the restart test stops the server, which
/// would break tests running beside it.
@Suite(.serialized) enum PostgresIntegration {}

/// Test helpers: a fresh migrated database per test, dropped afterwards.
enum TestDatabase {
    static var configuration: PostgresConfiguration {
        get throws { try PostgresConfiguration.fromEnvironment() }
    }

    /// Runs `body` with a pool on a new database (migrated unless `migrate` is false).
    static func with<T>(migrate: Bool = true, poolSize: Int = 4, _ body: (PostgresPool) async throws -> T) async throws -> T {
        var configuration = try configuration
        configuration.poolSize = poolSize
        return try await PostgresScratchDatabase.with(configuration: configuration, migrate: migrate, body)
    }

    /// `SELECT count(*)` of a query's rows.
    static func count(_ pool: PostgresPool, _ query: PostgresQuery) async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(query).first?.decode(at: 0, as: Int.self) ?? 0
        }
    }
}

/// A publisher for the outbox relay that records what it was given.
actor RecordingPublisher {
    private(set) var deliveries: [String] = []
    private var failuresLeft: Int
    private let delay: Duration

    /// `failures`: how many calls throw (after recording) before the publisher starts confirming.
    init(failures: Int = 0, delay: Duration = .zero) {
        self.failuresLeft = failures
        self.delay = delay
    }

    func publish(_ messages: [OutboxMessage]) async throws -> Set<String> {
        deliveries += messages.map(\.messageID)
        if delay > .zero { try await Task.sleep(for: delay) }
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw CancellationError()
        }
        return Set(messages.map(\.messageID))
    }
}
