import Foundation

/// A throw-away database on the configured server, for tests and benchmarks: created fresh
/// (`CREATE DATABASE <prefix><random>`), migrated, lent as a pool, and dropped afterwards (with
/// `FORCE`, closing the pool's connections), also when the body throws.
///
/// ```swift
/// try await PostgresScratchDatabase.with(configuration: .fromEnvironment()) { pool in
///     let store = PostgresExecutionStore(pool: pool)
/// }
/// ```
public enum PostgresScratchDatabase {
    /// Runs `body` with a pool on a new, migrated database. The role in `configuration` needs `CREATEDB`.
    public static func with<T>(
        configuration: PostgresConfiguration, prefix: String = "lazyrabbit_test_", migrate: Bool = true,
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let name = prefix + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(16)
        let admin = PostgresConnection(configuration: configuration)
        try await admin.runScript(trustedSQL: "CREATE DATABASE \(name)", name: "create_database")
        let pool = PostgresPool(configuration: configuration.database(name))
        do {
            if migrate { try await PostgresMigrator.migrate(pool) }
            let value = try await body(pool)
            try await drop(name, with: admin)
            return value
        } catch {
            try? await drop(name, with: admin)
            throw error
        }
    }

    /// `DROP DATABASE … WITH (FORCE)`. An autovacuum worker (a superuser backend) busy in the
    /// database cannot be terminated by a non-superuser (42501); it finishes within moments, so try again.
    private static func drop(_ name: String, with admin: PostgresConnection) async throws {
        for attempt in 1...20 {
            do {
                try await admin.runScript(trustedSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", name: "drop_database")
                return
            } catch let error as PostgresError where error.code == "42501" && attempt < 20 {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
