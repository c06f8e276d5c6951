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
            try await admin.runScript(trustedSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", name: "drop_database")
            return value
        } catch {
            try? await admin.runScript(trustedSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", name: "drop_database")
            throw error
        }
    }
}
