import CoordinatorService
import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import PostgresDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Lanes of a task queue (docs/protocol.md, "Lanes") on the real servers: one owner's backlog
/// does not hold back another owner's tasks.
@Suite(.serialized) struct TaskLaneTests {
    static let nap = """
        apiVersion: lazyrabbit/v1
        name: nap
        start: sleep
        states:
          sleep: { type: task, callback: { type: delay, duration: 400ms }, end: true }
        """

    /// Owners whose executions go to different lanes.
    static let heavy = "ada"
    static let light: String = ["bob", "cy", "dee", "eve", "flo"].first(where: { WorkerTopology.lane(of: "default", owner: $0) != WorkerTopology.lane(of: "default", owner: heavy) })!

    /// One worker (8 callbacks at once, prefetch 32 per lane) has 300 of one owner's 400 ms tasks
    /// to get through, about 15 s; another owner's single execution, started after them, finishes
    /// while about two rounds of them do (the lanes take turns in the worker's intake too). In one
    /// first-in-first-out queue it would finish behind all the rest.
    @Test func anotherOwnersTaskIsNotQueuedBehindABacklog() async throws {
        try await DistributedHarness.with(workers: 1) { cluster in
            let (heavyWorkflow, _) = try await cluster.plane.createWorkflow(source: Self.nap, by: Requester(user: Self.heavy))
            let (lightWorkflow, _) = try await cluster.plane.createWorkflow(source: Self.nap, by: Requester(user: Self.light))
            for index in 0..<300 {
                _ = try await cluster.plane.startExecution(workflowID: heavyWorkflow.id, input: ["n": .integer(index)], by: Requester(user: Self.heavy))
            }
            let before = try await Self.completed(in: cluster)
            let started = try await cluster.plane.startExecution(workflowID: lightWorkflow.id, input: .emptyObject, by: Requester(user: Self.light))
            let finished = try await cluster.waitForTerminal(started.record.id, timeout: .seconds(60))
            let overtaking = try await Self.completed(in: cluster) - 1 - before
            #expect(finished.status == .completed)
            // In one queue the other owner's task waits for all that is left; with lanes, for what the worker already took.
            #expect(before < 200, "most of the backlog was gone before the other owner started: \(before) of 300 finished")
            #expect(overtaking < (300 - before) / 2, "\(overtaking) of the \(300 - before) tasks left finished while the other owner's one waited")
        }
    }

    static func completed(in cluster: DistributedHarness) async throws -> Int {
        try await cluster.pool.withConnection { connection in
            try await connection.query("SELECT count(*) FROM workflow_executions WHERE status = 'COMPLETED'").first?.decode(at: 0, as: Int.self) ?? 0
        }
    }
}
