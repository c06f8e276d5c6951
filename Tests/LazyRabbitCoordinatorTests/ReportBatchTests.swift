import CoordinatorService
import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import RabbitMQDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The coordinator's report applier reading a worker's batch of reports (`task_reports`) from the
/// real broker, with no worker running: the test plays the worker.
@Suite(.serialized) struct ReportBatchTests {
    static let oneStep = """
        apiVersion: lazyrabbit/v1
        name: one-step
        start: work
        states:
          work: { type: task, callback: { type: handler, name: echo, input: { n: "${input.n}" } }, output: echoed, next: done }
          done: { type: succeed }
        """

    @Test func everyReportOfABatchIsAppliedAndAnUnreadableOneCostsNoOther() async throws {
        try await DistributedHarness.with(workers: 0) { cluster in
            let owner = Requester(user: "ada")
            let (workflow, _) = try await cluster.plane.createWorkflow(source: Self.oneStep, by: owner)
            var ids: [String] = []
            for n in 0..<3 {
                ids.append(try await cluster.plane.startExecution(workflowID: workflow.id, input: ["n": .integer(n)], by: owner).record.id)
            }
            // An execution's tasks go to its owner's lane of the task queue.
            let lane = cluster.topology.taskQueue("default", lane: WorkerTopology.lane(of: "default", owner: owner.user))
            let tasks = try await Self.take(3, from: lane, amqp: cluster.amqp)
            #expect(Set(tasks.map(\.executionID)) == Set(ids))

            let reports = tasks.map { task in
                TaskReport(
                    executionID: task.executionID, taskID: task.taskID, attempt: task.attempt, outcome: .succeeded(["ran": .string(task.taskID)]),
                    workerID: "test", fencingToken: 1, startedAt: Date(), finishedAt: Date()
                ).encodedJSON()
            }
            let unreadable = Array(#"{"version": 1, "task_id": 42}"#.utf8)
            let publisher = try await AMQPPublisher.connect(cluster.amqp)
            let result = try await publisher.publish(OutgoingMessage(
                exchange: cluster.topology.reportExchange, routingKey: cluster.topology.reportRoutingKey,
                body: ReportMessage.batchBody([reports[0], unreadable, reports[1], reports[2]]), messageID: "batch-1",
                headers: ["lr-type": .string(ReportMessage.batchType), "lr-version": 1]))
            await publisher.close()
            #expect(result.isConfirmed)

            for (id, task) in zip(ids, ids.map { id in tasks.first { $0.executionID == id }! }) {
                let record = try await cluster.waitForTerminal(id, timeout: .seconds(30))
                #expect(record.status == .completed)
                #expect(record.output?["echoed"]?["ran"] == .string(task.taskID), "the report's own outcome reached its execution")
            }
            // Applied reports are counted once their message is acked: one ack, no redelivery.
            #expect(try await cluster.eventually(timeout: .seconds(10)) { cluster.appliedReports.count == 3 })
            try await Task.sleep(for: .milliseconds(500))
            #expect(cluster.appliedReports.sorted() == tasks.map(\.taskID).sorted(), "each report applied once, its batch acked once")
        }
    }

    /// Consumes and acks `count` task messages from `queue`.
    static func take(_ count: Int, from queue: String, amqp: AMQPConfiguration) async throws -> [StateTask] {
        let consumer = try await AMQPConsumer.connect(amqp, queue: queue, prefetch: UInt16(count))
        var tasks: [StateTask] = []
        let deadline = Task { try await Task.sleep(for: .seconds(30)); await consumer.close() }
        for try await delivery in consumer.deliveries {
            if case .task(let task)? = TaskMessage.decode(delivery.body) { tasks.append(task) }
            try await consumer.ack(delivery)
            if tasks.count == count { break }
        }
        deadline.cancel()
        await consumer.close()
        return tasks
    }
}
