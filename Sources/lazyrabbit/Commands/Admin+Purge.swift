import ArgumentParser
import Foundation
import PostgresDriver
import WorkflowDSL

extension LazyRabbit.Admin {
    /// `lazyrabbit admin purge --older-than 30d`: deletes finished executions and their history.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete finished executions (with their transitions and audit rows) completed longer ago than --older-than.",
            discussion: """
                Only COMPLETED, FAILED, CANCELLED and TIMED_OUT executions go, and only when neither a child nor the \
                parent of theirs is still running; their idempotency keys become free again. Runs beside live \
                coordinators, in batches; an execution busy at that moment is left for the next run. --dry-run only counts.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Age since completion, at least 1h: 30d, 12h, 90m, or seconds.", valueName: "duration"), transform: WorkflowDuration.argument)
        var olderThan: WorkflowDuration

        @Flag(help: "Count what would be deleted; delete nothing.")
        var dryRun = false

        @Option(help: "Executions deleted per transaction.")
        var batchSize: Int = 500

        func validate() throws {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
            // A client may still retry a start with the idempotency key of an execution this young.
            guard olderThan >= .seconds(3600) else { throw ValidationError("--older-than must be at least 1h") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            let cutoff = Date().addingTimeInterval(-Double(olderThan.milliseconds) / 1000)
            do {
                try await database.withMigratedPool { pool in
                    let purge = FinishedExecutionPurge(pool: pool, finishedBefore: cutoff)
                    if dryRun {
                        printer.line("\(try await purge.count()) executions finished more than \(olderThan) ago would be deleted")
                        return
                    }
                    let outcome = try await purge.run(batchSize: batchSize) { deleted in printer.line("… \(deleted) executions deleted") }
                    printer.line(
                        "✓ deleted \(outcome.executions) executions finished more than \(olderThan) ago, "
                            + "\(outcome.transitions) transitions and \(outcome.auditRows) audit rows",
                        style: .success)
                }
            } catch {
                printer.problem("purge failed: \(error)")
                throw ExitCodes.failed
            }
        }
    }
}
