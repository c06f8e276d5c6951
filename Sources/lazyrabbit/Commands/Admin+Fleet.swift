import ArgumentParser
import DriverSupport
import Foundation
import LazyRabbitWorker
import RabbitMQDriver
import RedisDriver

extension LazyRabbit.Admin {
    /// `lazyrabbit admin workers`: the live workers, from their Redis heartbeats.
    struct Workers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List live workers from their heartbeats in Redis (id, host, uptime, in flight, processed, failures).")

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let registry = WorkerRegistry(pool: try RedisPool(url: ServerSettings.redisURL))
            let workers = try await registry.workers().sorted { $0.workerID < $1.workerID }
            if json {
                let rows: [[String: String]] = workers.map { worker in
                    ["worker_id": worker.workerID, "host": worker.host, "started_at": ISO8601DateFormatter().string(from: worker.startedAt),
                     "in_flight": String(worker.inFlight), "processed": String(worker.processed), "failures": String(worker.failures)]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
                return
            }
            guard !workers.isEmpty else {
                print("no live worker (heartbeats expire 30 s after a worker stops)")
                return
            }
            print(FleetTable.render(
                header: ["worker", "host", "up", "in flight", "processed", "failures"],
                rows: workers.map { worker in
                    [worker.workerID, worker.host, FleetTable.duration(since: worker.startedAt), String(worker.inFlight),
                     String(worker.processed), String(worker.failures)]
                }))
        }
    }

    /// `lazyrabbit admin queues`: backlog and dead letters per task queue.
    struct Queues: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show ready messages and consumers of task queues, the report queue and dead-letter queues.")

        @Option(name: .customLong("queue"), help: ArgumentHelp("A task queue (repeatable; default `default`).", valueName: "name"))
        var queues: [String] = []

        @Option(help: "Prefix of the exchange and queue names.")
        var queueNamePrefix: String = "lazyrabbit"

        func run() async throws {
            let topology = WorkerTopology(prefix: queueNamePrefix)
            let connection = try await AMQPConnection.connect(.fromEnvironment())
            var rows: [[String]] = []
            for queue in queues.isEmpty ? ["default"] : queues {
                for name in topology.taskQueueLanes(queue) + [topology.deadLetterQueue(queue)] {
                    rows.append(try await Self.row(name, connection))
                }
            }
            rows.append(try await Self.row(topology.reportQueue, connection))
            await connection.close()
            print(FleetTable.render(header: ["queue", "ready", "consumers"], rows: rows))
        }

        private static func row(_ name: String, _ connection: AMQPConnection) async throws -> [String] {
            do {
                let stats = try await connection.stats(ofQueue: name)
                return [name, String(stats.messages), String(stats.consumers)]
            } catch let error as AMQPError where error.replyCode == 404 {
                return [name, "-", "not declared"]
            }
        }
    }
}

/// Plain aligned tables for the operator commands.
enum FleetTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func duration(since date: Date) -> String {
        let seconds = max(0, Int(Date().timeIntervalSince(date)))
        return seconds < 3600 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }
}
