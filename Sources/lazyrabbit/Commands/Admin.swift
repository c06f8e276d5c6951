import ArgumentParser
import PostgresDriver

extension LazyRabbit {
    /// `lazyrabbit admin …`: operator commands against the servers.
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Operate a LazyRabbit installation (database schema, API tokens, test JWTs, workers, queues, executions, retention).",
            subcommands: [Migrate.self, Tokens.self, JWT.self, Workers.self, Queues.self, Executions.self, Timeline.self, Purge.self])
    }
}

extension LazyRabbit.Admin {
    /// `lazyrabbit admin migrate`: apply the numbered schema migrations that are missing.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the PostgreSQL schema migrations that are not applied yet (safe to run from several processes).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            do {
                let applied = try await PostgresMigrator.migrate(url: database.url)
                if applied.isEmpty {
                    printer.line("✓ the schema is up to date", style: .success)
                } else {
                    printer.line("✓ applied migrations \(applied.map(String.init).joined(separator: ", "))", style: .success)
                }
            } catch {
                printer.problem("migration failed: \(error)")
                throw ExitCodes.failed
            }
        }
    }
}
