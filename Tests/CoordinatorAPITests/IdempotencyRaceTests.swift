@testable import CoordinatorAPI
import Foundation
import LazyRabbitCoordinator
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Two starts with one Idempotency-Key that race: the loser's look-up found nothing, and its
/// create hits the key. A store that never finds a key by look-up makes every repeat take that path.
@Suite struct IdempotencyRaceTests {
    @Test func theLoserOfARaceForAnotherWorkflowIsAConflict() async throws {
        let store = RacingStore(lookupMisses: true)
        let plane = ControlPlane(
            coordinator: ExecutionCoordinator(store: store, performer: IdlePerformer()), store: store, workflows: InMemoryWorkflowRepository())
        let ada = Requester(user: "ada")
        let first = try await plane.createWorkflow(source: APITestHarness.greet, by: ada).0.id
        let second = try await plane.createWorkflow(source: APITestHarness.greet.replacingOccurrences(of: "name: greet", with: "name: other"), by: ada).0.id

        let won = try await plane.startExecution(workflowID: first, input: ["name": "Ada"], idempotencyKey: "k", by: ada)
        #expect(won.created)
        let again = try await plane.startExecution(workflowID: first, input: ["name": "Ada"], idempotencyKey: "k", by: ada)
        #expect(!again.created && again.record.id == won.record.id, "the same workflow answers the first execution")
        await #expect(throws: ControlPlaneError.self, "another workflow with the key is a conflict") {
            _ = try await plane.startExecution(workflowID: second, input: ["name": "Ada"], idempotencyKey: "k", by: ada)
        }
    }
}
