import ArgumentParser
import CoordinatorAPI
import DriverSupport
import Foundation
import LazyRabbitCoordinator
import LazyRabbitServer
import Logging

extension LazyRabbit {
    /// `lazyrabbit dev`: the whole product in one process, no servers.
    struct Dev: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the REST API, the stream and a worker pool in one process on SQLite — no servers needed.",
            discussion: """
                Like `temporal server start-dev`: one SQLite file holds workflows, executions and API tokens, so a \
                restart resumes what was running. An admin API token is created on first start and printed (it is \
                also kept next to the database, readable by you only). JWTs work too when LAZYRABBIT_JWT_SECRET is set.
                """)

        @Option(help: "The SQLite file.")
        var db: String = ".lazyrabbit/dev.sqlite"

        @Option(help: "The HTTP port (default: LAZYRABBIT_HTTP_PORT, else 8080).")
        var port: Int?

        @Option(help: "The address to listen on.")
        var host: String = "127.0.0.1"

        @Option(help: "Callbacks run at once.")
        var concurrency: Int = 32

        @Option(help: "How many child executions one execution may start, at every depth together.")
        var maxChildExecutions: Int = ChildWorkflow.defaultTreeLimit

        @Option(name: .customLong("allow-host"), help: ArgumentHelp(
            "Allow http callbacks to this host, IP or CIDR although private or loopback (repeatable).", valueName: "host"))
        var allowedHosts: [String] = []

        @OptionGroup(title: "Quotas")
        var registry: RegistryArguments

        func validate() throws {
            if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
            guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
            guard maxChildExecutions >= 0 else { throw ValidationError("--max-child-executions must not be negative") }
        }

        func run() async throws {
            var configuration = DevServer.Configuration()
            configuration.databasePath = db
            configuration.api.server = APIConfiguration.Server(host: host, port: port)
            configuration.workerConcurrency = concurrency
            configuration.childExecutionLimit = maxChildExecutions
            configuration.allowedHosts = allowedHosts + ServerSettings.allowedHostsFromEnvironment
            configuration.quotas = registry.quotas
            configuration.limits = registry.applied(to: configuration.limits)
            let printer = ProgressPrinter.standardError()
            do {
                try await DevServer.run(configuration, logger: Logger(label: "lazyrabbit.dev")) { printer.line($0) }
            } catch {
                printer.problem("dev server stopped: \(error)")
                throw ExitCodes.failed
            }
        }
    }
}
