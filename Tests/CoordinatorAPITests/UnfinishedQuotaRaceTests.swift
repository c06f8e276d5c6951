import LazyRabbitCoordinator
import Testing
import WorkflowDrivers
import WorkflowJSON

/// Starts racing each other in one process: each finds no tally and counts in the store before
/// any of them is created. The tally must still admit no more than the quota.
@Suite struct UnfinishedQuotaRaceTests {
    @Test func concurrentStartsInOneProcessStayWithinTheQuota() async throws {
        let store = RacingStore(countDelay: .milliseconds(50))
        let plane = ControlPlane(
            coordinator: ExecutionCoordinator(store: store, performer: IdlePerformer()), store: store, workflows: InMemoryWorkflowRepository(),
            quotas: UserQuotas(unfinishedExecutions: 3))
        let ada = Requester(user: "ada")
        let workflow = try await plane.createWorkflow(source: APITestHarness.greet, by: ada).0.id
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { (try? await plane.startExecution(workflowID: workflow, input: ["name": "Ada"], by: ada)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count { $0 } == 3)
        #expect(try await store.unfinishedCount(owner: "ada", limit: 100) == 3)
    }
}
