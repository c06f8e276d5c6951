import ArgumentParser
import CoordinatorAPI
import CoordinatorService
import DriverSupport
import Foundation
import Intelligence
import LazyRabbitCoordinator
import LazyRabbitServer
import Logging
import PostgresDriver
import WorkflowDSL

extension LazyRabbit {
    /// `lazyrabbit coordinator`: the REST API over PostgreSQL, RabbitMQ and Redis.
    struct Coordinator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the REST API and drive executions: outbox relay, report applier, timers (docs/api.md).",
            discussion: """
                Servers come from LAZYRABBIT_DATABASE_URL, LAZYRABBIT_AMQP_URL and LAZYRABBIT_REDIS_URL (defaults: the \
                scripts/services ones); migrations run at start. Bearer tokens are API tokens (lazyrabbit admin tokens \
                create) or JWTs signed with LAZYRABBIT_JWT_SECRET (HS256) or the key in LAZYRABBIT_JWT_PUBLIC_KEY (ES256). \
                Several coordinators may run against the same servers. SIGTERM/SIGINT stop it gracefully.
                """)

        @Option(help: "The HTTP port (default: LAZYRABBIT_HTTP_PORT, else 8080).")
        var port: Int?

        @Option(help: "The address to listen on.")
        var host: String = "0.0.0.0"

        @Option(help: "Prefix of the exchange and queue names; must match the workers'.")
        var queueNamePrefix: String = "lazyrabbit"

        @Option(help: "Largest request body in bytes.")
        var maxBodyBytes: Int = 1 << 20

        @Option(help: "Execution streams (WebSockets) one user may hold open at once.")
        var streamsPerUser: Int = 16

        @Option(help: "Execution streams the process serves at once, all users together.")
        var maxStreams: Int = 256

        @Option(help: "How many child executions one execution may start, at every depth together.")
        var maxChildExecutions: Int = ChildWorkflow.defaultTreeLimit

        @Option(help: "State tasks whose JSON is over this many bytes are stored in Redis and sent by reference (docs/protocol.md, Large payloads).")
        var payloadThreshold: Int = 256 * 1024

        @Option(help: ArgumentHelp(
            "Published outbox rows older than this are deleted, checked once a minute (unpublished ones never are): 1h (the default), 30m, 6h, or seconds.",
            valueName: "duration"), transform: WorkflowDuration.argument)
        var outboxRetention: WorkflowDuration = .seconds(3600)

        @Option(name: .customLong("allow-host"), help: ArgumentHelp(
            "Accept workflows whose http callbacks go to this host, IP or CIDR although private or loopback (repeatable).",
            valueName: "host"))
        var allowedHosts: [String] = []

        @OptionGroup(title: "Quotas")
        var registry: RegistryArguments

        func validate() throws {
            if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
            guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
            guard streamsPerUser > 0, maxStreams > 0 else { throw ValidationError("--streams-per-user and --max-streams must be positive") }
            guard maxChildExecutions >= 0 else { throw ValidationError("--max-child-executions must not be negative") }
            guard payloadThreshold > 0 else { throw ValidationError("--payload-threshold must be positive") }
        }

        func run() async throws {
            var configuration = try CoordinatorConfiguration()
            configuration.queueNamePrefix = queueNamePrefix
            configuration.payloadThreshold = payloadThreshold
            configuration.childExecutionLimit = maxChildExecutions
            configuration.outboxPurge.retention = .milliseconds(outboxRetention.milliseconds)
            configuration.validation = ValidationOptions(
                limits: registry.applied(to: ValidationLimits()),
                addressPolicy: AddressPolicy(allowList: allowedHosts + ServerSettings.allowedHostsFromEnvironment),
                allowedModels: LLMConfiguration.allowedModels())
            configuration.quotas = registry.quotas
            var api = APIConfiguration()
            api.server = APIConfiguration.Server(host: host, port: port)
            api.limits.bodyBytes = maxBodyBytes
            api.stream.perUser = streamsPerUser
            api.stream.total = maxStreams
            do {
                try await CoordinatorServer.run(
                    configuration: configuration, api: api, redisURL: ServerSettings.redisURL, logger: Logger(label: "lazyrabbit.coordinator"))
            } catch {
                ProgressPrinter.standardError().problem("coordinator stopped: \(error)")
                throw ExitCodes.failed
            }
        }
    }
}
