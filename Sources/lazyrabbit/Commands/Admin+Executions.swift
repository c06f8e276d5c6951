import ArgumentParser
import Foundation
import PostgresDriver
import WorkflowDrivers
import WorkflowProtocol

extension LazyRabbit.Admin {
    /// `lazyrabbit admin executions`: executions straight from PostgreSQL, every owner's.
    struct Executions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List executions from PostgreSQL, newest first (every owner's; act on them through the API).")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("status"), help: ArgumentHelp("Only this status (repeatable): RUNNING, FAILED, …", valueName: "status"))
        var statuses: [String] = []

        @Option(help: "Only runs of workflows with this name.")
        var workflow: String?

        @Option(help: "Only this user's executions.")
        var owner: String?

        @Option(help: "At most this many.")
        var limit: Int = 20

        func validate() throws {
            for status in statuses where ExecutionStatus(rawValue: status.uppercased()) == nil {
                throw ValidationError("unknown status `\(status)`; one of \(ExecutionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() async throws {
            let query = ExecutionQuery(
                statuses: statuses.isEmpty ? nil : Set(statuses.compactMap { ExecutionStatus(rawValue: $0.uppercased()) }),
                owner: owner, workflowName: workflow, limit: limit)
            let page = try await database.withMigratedPool { pool in
                try await PostgresExecutionStore(pool: pool, groupCommit: false).executions(matching: query)
            }
            let formatter = ISO8601DateFormatter()
            print(FleetTable.render(
                header: ["execution", "workflow", "status", "owner", "steps", "created"],
                rows: page.executions.map { record in
                    [record.id, record.workflowName, record.status.rawValue, record.owner ?? "-", String(record.sequence),
                     formatter.string(from: record.createdAt)]
                }))
        }
    }

    /// `lazyrabbit admin timeline ID`: an execution's transitions, in order.
    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an execution's transition history from PostgreSQL.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The execution id.")
        var executionID: String

        func run() async throws {
            let (record, transitions) = try await database.withMigratedPool { pool in
                let store = PostgresExecutionStore(pool: pool, groupCommit: false)
                return (try await store.execution(id: executionID), try await store.transitions(executionID: executionID, afterSequence: 0))
            }
            guard let record else {
                ProgressPrinter.standardError().problem("no execution \(executionID)")
                throw ExitCodes.failed
            }
            print("\(record.id)  \(record.workflowName)  \(record.status.rawValue)")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            print(FleetTable.render(
                header: ["#", "at", "thread", "kind", "from", "to"],
                rows: transitions.map { transition in
                    [String(transition.sequence), formatter.string(from: transition.at), transition.thread, transition.kind,
                     transition.fromState ?? "", transition.toState ?? ""]
                }))
        }
    }
}
