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
    /// An in-memory store whose look-up by idempotency key always misses, as if the racing start
    /// had not committed yet; its create still refuses the key.
    struct LateLookupStore: ExecutionStore {
        let inner = InMemoryExecutionStore()

        func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws {
            try await inner.create(execution, transitions: transitions, outbox: outbox)
        }
        nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult {
            try await inner.commit(update, outbox: outbox, withdrawing: withdrawn)
        }
        func execution(id: String) async throws -> ExecutionRecord? { try await inner.execution(id: id) }
        func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord? { nil }
        func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
            try await inner.transitions(executionID: executionID, afterSequence: afterSequence)
        }
        func executions(matching query: ExecutionQuery) async throws -> ExecutionPage { try await inner.executions(matching: query) }
        func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool {
            try await inner.admitChild(childID, of: parentID, limit: limit)
        }
        func unfinishedCount(owner: String, limit: Int) async throws -> Int { try await inner.unfinishedCount(owner: owner, limit: limit) }
    }

    @Test func theLoserOfARaceForAnotherWorkflowIsAConflict() async throws {
        let store = LateLookupStore()
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
