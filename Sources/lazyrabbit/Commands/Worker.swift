import ArgumentParser
import Foundation
import LazyRabbitWorker
import WorkflowDSL

extension LazyRabbit {
    /// `lazyrabbit worker`: a distributed worker that runs state tasks from RabbitMQ until
    /// SIGTERM or SIGINT, which drain it gracefully.
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run state tasks from RabbitMQ (docs/protocol.md) until SIGTERM/SIGINT, then drain gracefully.",
            discussion: """
                Servers come from LAZYRABBIT_AMQP_URL and LAZYRABBIT_REDIS_URL (defaults: the \
                scripts/services ones). Secrets for ${secret.NAME} come from LAZYRABBIT_SECRET_NAME.
                """)

        @Option(name: .customLong("queue"), help: ArgumentHelp("A task queue to consume (repeatable; default `default`).", valueName: "name"))
        var queues: [String] = []

        @Option(help: "Callbacks run at once.")
        var concurrency: Int = 16

        @Option(help: "Unacknowledged deliveries per task queue lane (each task queue has \(WorkerTopology.lanesPerQueue) lanes, docs/protocol.md).")
        var prefetch: Int = 32

        @Option(help: "Seconds in-flight tasks get to finish after SIGTERM before they are given back.")
        var drainGracePeriod: Int = 30

        @Option(help: "Seconds a task's lock lives without renewal; a killed worker's tasks run elsewhere after it.")
        var lockTTL: Int = 30

        @Option(help: "Prefix of the exchange and queue names (`<prefix>.tasks.<queue>`, …).")
        var queueNamePrefix: String = "lazyrabbit"

        @Option(help: "Report outcomes whose JSON is over this many bytes are stored in Redis and sent by reference (docs/protocol.md, Large payloads).")
        var payloadThreshold: Int = 256 * 1024

        @Option(help: "Most task reports in one report message (1: each alone, for coordinators older than report batches).")
        var reportBatchSize: Int = 64

        @Option(help: "This worker's id (default: the host name and random digits).")
        var workerID: String?

        @Option(name: .customLong("allow-host"), help: ArgumentHelp(
            "Allow http callbacks to this host, IP or CIDR even if it is private or loopback (repeatable; also LAZYRABBIT_ALLOWED_HOSTS, comma-separated).",
            valueName: "host"))
        var allowedHosts: [String] = []

        func validate() throws {
            guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
            for queue in queues {
                if let problem = TaskQueueName.problem(consuming: queue) { throw ValidationError("--queue \(queue.debugDescription): \(problem)") }
            }
            guard (1...Int(UInt16.max)).contains(prefetch) else { throw ValidationError("--prefetch must be between 1 and 65535") }
            guard drainGracePeriod >= 0 else { throw ValidationError("--drain-grace-period cannot be negative") }
            guard lockTTL > 0 else { throw ValidationError("--lock-ttl must be at least 1 second") }
            guard payloadThreshold > 0 else { throw ValidationError("--payload-threshold must be positive") }
            guard reportBatchSize > 0 else { throw ValidationError("--report-batch-size must be at least 1") }
        }

        func run() async throws {
            var worker = LazyRabbitWorker.Worker(configuration: WorkerConfiguration(
                taskQueues: queues.isEmpty ? ["default"] : queues, prefetch: UInt16(prefetch), concurrency: concurrency,
                lockTTL: .seconds(lockTTL), drainGracePeriod: .seconds(drainGracePeriod), queueNamePrefix: queueNamePrefix))
            if let workerID { worker.configuration.workerID = workerID }
            worker.configuration.payloadThreshold = payloadThreshold
            worker.configuration.reportBatchSize = reportBatchSize
            worker.allowedHosts = allowedHosts
            do {
                try await worker.run()
            } catch {
                ProgressPrinter.standardError().problem("worker stopped: \(error)")
                throw ExitCodes.failed
            }
        }
    }
}
