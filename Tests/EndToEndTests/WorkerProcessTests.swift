import Foundation
import LazyRabbitWorker
import RabbitMQDriver
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// `lazyrabbit worker` processes against the real RabbitMQ and Redis: a worker killed with
/// `kill -9` in the middle of a callback loses nothing — another worker runs the task once the
/// dead worker's lock expires. (Runs in the integration phase of scripts/test.)
@Suite(.serialized) struct WorkerProcessTests {
    @Test func aTaskOfAWorkerKilledMidCallbackIsRunByAnotherWorker() async throws {
        let prefix = "lrtest.\(UUID().uuidString.prefix(8).lowercased())"
        let topology = WorkerTopology(prefix: prefix)
        let amqp = AMQPConfiguration.fromEnvironment()
        let admin = try await AMQPConnection.connect(amqp)
        try await topology.declare(on: admin, taskQueues: ["default"], deliveryLimit: 5)
        let arguments = ["worker", "--queue-name-prefix", prefix, "--lock-ttl", "2", "--concurrency", "1"]
        var workers: [LazyRabbitCLI.Running] = []
        do {
            let first = try LazyRabbitCLI.start(arguments + ["--worker-id", "doomed"])
            workers.append(first)
            let executionID = "e-kill-\(UUID().uuidString.prefix(8))"  // task ids are remembered once reported
            let task = StateTask(
                executionID: executionID, taskID: "\(executionID)/main/slow/1#1", state: "slow", attempt: 1,
                callback: .delay(DelayCallback(duration: .seconds(3))), timeoutMilliseconds: 30_000)
            let publisher = try await AMQPPublisher.connect(amqp)
            let published = try await publisher.publish(OutgoingMessage(
                exchange: topology.taskExchange, routingKey: "default", body: Array(try JSONEncoder().encode(task)), messageID: task.taskID))
            await publisher.close()
            #expect(published.isConfirmed)
            // Wait until the first worker holds the task (the queue has it unacknowledged), then kill it.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if try await admin.stats(ofQueue: topology.taskQueue("default", lane: 0)).consumers > 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(1))
            await first.kill()
            workers.append(try LazyRabbitCLI.start(arguments + ["--worker-id", "survivor"]))

            let consumer = try await AMQPConsumer.connect(amqp, queue: topology.reportQueue, prefetch: 10)
            var reports: [TaskReport] = []
            let waiting = Task { () async throws -> TaskReport? in
                for try await delivery in consumer.deliveries {
                    try await consumer.ack(delivery)
                    return ReportMessage.decode(delivery.body, type: delivery.headers["lr-type"]?.stringValue)?.reports.first
                }
                return nil
            }
            let timeout = Task { try await Task.sleep(for: .seconds(45)); waiting.cancel() }
            if case let report?? = try? await waiting.value { reports.append(report) }
            timeout.cancel()
            await consumer.close()
            #expect(reports.map(\.taskID) == [task.taskID], "the killed worker's task was run by the survivor")
            #expect(reports.first?.workerID == "survivor")
            #expect(reports.first?.outcome == .succeeded(.null))
        } catch {
            Issue.record(error)
        }
        for worker in workers { await worker.kill() }
        try? await topology.delete(on: admin, taskQueues: ["default"])
        try? await admin.deleteQueue("\(topology.taskExchange).default.delay.8192ms")
        await admin.close()
    }
}
