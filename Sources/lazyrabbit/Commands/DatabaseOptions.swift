import ArgumentParser
import DriverSupport
import PostgresDriver

/// `--database-url`, shared by the commands that talk to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The database URL (default: LAZYRABBIT_DATABASE_URL, else the scripts/services default).")
    var databaseURL: String?

    /// The URL to connect to.
    var url: String { databaseURL ?? ServerSettings.databaseURL }

    /// Lends `body` a one-connection pool on a database brought up to date first (as `admin migrate` does).
    func withMigratedPool<T>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 1
        let pool = PostgresPool(configuration: configuration)
        try await PostgresMigrator.migrate(pool)
        return try await body(pool)
    }
}
