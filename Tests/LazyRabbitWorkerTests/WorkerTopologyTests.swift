import LazyRabbitWorker
import Testing

@Suite struct WorkerTopologyTests {
    /// Lanes are stable per owner, spread owners, and route by the task queue's own name in lane 0.
    @Test func lanesFollowTheOwner() {
        #expect(WorkerTopology.lane(ofOwner: nil) == 0 && WorkerTopology.lane(ofOwner: "") == 0)
        let lanes = Set((0..<64).map { WorkerTopology.lane(ofOwner: "user-\($0)") })
        #expect(lanes == Set(0..<WorkerTopology.lanes))
        #expect(WorkerTopology.taskRoutingKey("billing", lane: 0) == "billing")
        #expect(WorkerTopology.taskRoutingKey("billing", lane: 3) == "billing~3")
        #expect(WorkerTopology.taskQueueName(routedBy: "billing~3") == "billing" && WorkerTopology.taskQueueName(routedBy: "billing") == "billing")
        #expect(WorkerTopology(prefix: "lr").taskQueueLanes("q") == ["lr.tasks.q", "lr.tasks.q~1", "lr.tasks.q~2", "lr.tasks.q~3"])
    }
}
