import LazyRabbitCoordinator
import Testing
import WorkflowDrivers
import WorkflowJSON

/// Starts racing each other in one process: each finds no tally and counts in the store before
/// any of them is created. The tally must still admit no more than the quota.
@Suite struct UnfinishedQuotaRaceTests {
    static func plane(_ store: RacingStore) -> ControlPlane {
        ControlPlane(
            coordinator: ExecutionCoordinator(store: store, performer: IdlePerformer()), store: store, workflows: InMemoryWorkflowRepository(),
            quotas: UserQuotas(unfinishedExecutions: 3))
    }

    /// `count` starts at once; how many were admitted.
    static func startTogether(_ count: Int, of workflow: String, on plane: ControlPlane) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask { (try? await plane.startExecution(workflowID: workflow, input: ["name": "Ada"], by: Requester(user: "ada"))) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
    }

    @Test func concurrentStartsInOneProcessStayWithinTheQuota() async throws {
        let store = RacingStore(countDelay: .milliseconds(50))
        let plane = Self.plane(store)
        let workflow = try await plane.createWorkflow(source: APITestHarness.greet, by: Requester(user: "ada")).0.id
        #expect(await Self.startTogether(20, of: workflow, on: plane) == 3)
        #expect(try await store.unfinishedCount(owner: "ada", limit: 100) == 3)
    }

    /// The last place taken by a start still being written: a count at the quota does not see it,
    /// and must not give the place away again.
    @Test func aStartStillBeingWrittenKeepsItsPlace() async throws {
        let store = RacingStore(createDelay: .milliseconds(100))
        let plane = Self.plane(store)
        let workflow = try await plane.createWorkflow(source: APITestHarness.greet, by: Requester(user: "ada")).0.id
        #expect(await Self.startTogether(1, of: workflow, on: plane) == 1)
        #expect(await Self.startTogether(1, of: workflow, on: plane) == 1)
        #expect(await Self.startTogether(5, of: workflow, on: plane) == 1)
        #expect(try await store.unfinishedCount(owner: "ada", limit: 100) == 3)
    }

    /// A count that read the store before three starts were written and answers after they were:
    /// they are neither in it nor unwritten any more, and must still hold their places.
    @Test func startsWrittenWhileACountRunsKeepTheirPlaces() async throws {
        let writes = Gate(open: false)
        let recount = Gate(open: true)
        let store = RacingStore(createGate: writes, countGate: recount)
        let plane = Self.plane(store)
        let workflow = try await plane.createWorkflow(source: APITestHarness.greet, by: Requester(user: "ada")).0.id
        let firstThree = Task { await Self.startTogether(3, of: workflow, on: plane) }
        await writes.waitForArrivals(3)  // the first three are admitted, not yet written
        await recount.close()
        let late = Task { await Self.startTogether(1, of: workflow, on: plane) }
        await recount.waitForArrivals(1)  // the late start's count read the store: none written
        await writes.open()
        #expect(await firstThree.value == 3)  // written and settled while that count runs
        await recount.open()
        #expect(await late.value == 0)
        #expect(try await store.unfinishedCount(owner: "ada", limit: 100) == 3)
    }
}
