/// Applies the numbered migrations (``PostgresMigration/all``) that a database lacks, in order,
/// each in its own transaction, recording them in `schema_migrations`. Safe to run from several
/// processes at once: every migration transaction first takes a transaction-scoped advisory lock,
/// so one process applies a migration and the others find it applied.
///
/// ```swift
/// let applied = try await PostgresMigrator.migrate(url: ProcessInfo.processInfo.environment["LAZYRABBIT_DATABASE_URL"]!)
/// ```
public enum PostgresMigrator {
    /// The advisory lock key every migrator takes (`"LRMIGR"` in ASCII).
    static let lockKey: Int64 = 0x4C52_4D49_4752

    /// The entry point for `lazyrabbit admin migrate`: connects to `url`, migrates, disconnects.
    ///
    /// - Returns: The versions this call applied (empty when the database was up to date).
    @discardableResult
    public static func migrate(url: String) async throws -> [Int] {
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 1
        return try await migrate(PostgresPool(configuration: configuration))
    }

    /// Applies the missing migrations through `pool`.
    ///
    /// - Returns: The versions this call applied, in order.
    @discardableResult
    public static func migrate(_ pool: PostgresPool, migrations: [PostgresMigration] = PostgresMigration.all) async throws -> [Int] {
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let didApply = try await pool.withTransaction { connection in
                try await connection.execute(PostgresQuery("SELECT pg_advisory_xact_lock(\(bind: lockKey))").named("migration_lock"))
                try await connection.runScript(
                    trustedSQL: """
                        CREATE TABLE IF NOT EXISTS schema_migrations (
                            version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                        """, name: "schema_migrations")
                let present = try await connection.query(
                    PostgresQuery("SELECT 1 FROM schema_migrations WHERE version = \(bind: migration.version)").named("migration_check"))
                guard present.isEmpty else { return false }
                try await connection.runScript(trustedSQL: migration.sql, name: "migration \(migration.version)_\(migration.name)")
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(bind: migration.version), \(bind: migration.name))")
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// The versions recorded in `schema_migrations`, ascending (empty before the first migration).
    public static func appliedVersions(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.withConnection { connection in
            let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            guard try exists.first?.decode("present", as: Bool.self) == true else { return [] }
            return try await connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode("version") }
        }
    }
}
