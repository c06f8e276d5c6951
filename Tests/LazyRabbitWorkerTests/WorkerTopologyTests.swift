import LazyRabbitWorker
import Testing
import WorkflowDSL

@Suite struct WorkerTopologyTests {
    /// Lanes are stable per owner, spread owners, and route by the task queue's own name in lane 0.
    @Test func lanesFollowTheOwner() {
        #expect(WorkerTopology.lane(of: "billing", owner: nil) == 0 && WorkerTopology.lane(of: "billing", owner: "") == 0)
        let lanes = Set((0..<64).map { WorkerTopology.lane(of: "billing", owner: "user-\($0)") })
        #expect(lanes == Set(0..<WorkerTopology.lanesPerQueue))
        #expect(WorkerTopology.taskRoutingKey("billing", lane: 0) == "billing")
        #expect(WorkerTopology.taskRoutingKey("billing", lane: 3) == "billing~3")
        #expect(WorkerTopology(prefix: "lr").taskQueueLanes("q") == ["lr.tasks.q", "lr.tasks.q~1", "lr.tasks.q~2", "lr.tasks.q~3"])
    }

    /// The lane is part of the protocol (every coordinator must agree): FNV-1a 64 of the owner's
    /// UTF-8 bytes, modulo four. "a" hashes to 0xaf63dc4c8601ec8c, "ada" to 0xe70bc0190530e13b.
    @Test func theLaneIsFNV1aOfTheOwner() {
        #expect(WorkerTopology.lane(of: "q", owner: "a") == Int(0xaf63_dc4c_8601_ec8c as UInt64 % 4))
        #expect(WorkerTopology.lane(of: "q", owner: "ada") == Int(0xe70b_c019_0530_e13b as UInt64 % 4))
    }

    /// A queue name from before the naming rule keeps one queue, lane 0, so its workers and its
    /// stored workflows go on as they did.
    @Test func aNameFromBeforeTheRuleHasOneLane() {
        #expect(WorkerTopology.laneCount(of: "orders eu") == 1)
        #expect(Set((0..<64).map { WorkerTopology.lane(of: "orders eu", owner: "user-\($0)") }) == [0])
        #expect(WorkerTopology(prefix: "lr").taskQueueLanes("orders eu") == ["lr.tasks.orders eu"])
    }

    /// Workers consume any name a queue could have had, except what collides with lanes.
    @Test func workersRefuseOnlyNamesTheyCannotConsume() {
        #expect(TaskQueueName.problem(consuming: "orders eu") == nil)
        #expect(TaskQueueName.problem(consuming: "billing") == nil)
        #expect(TaskQueueName.problem(consuming: "billing~1") != nil)
        #expect(TaskQueueName.problem(consuming: "") != nil)
        #expect(TaskQueueName.problem(consuming: String(repeating: "q", count: 201)) != nil)
    }
}
