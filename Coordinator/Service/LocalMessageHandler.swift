public import Foundation
public import LazyRabbitCoordinator
public import WorkflowDSL
public import WorkflowDrivers
import WorkflowEngine
public import WorkflowJSON
import WorkflowProtocol

/// Carries out the ``CoordinatorMessage``s the outbox relay claims. Every action is idempotent —
/// a timer fires once (the engine drops a timer it no longer holds), a child's id follows from
/// its parent's task, a parent takes one report per task — so a row handled twice (a replica died
/// before marking it) changes nothing the second time.
public struct LocalMessageHandler: Sendable {
    /// Finds the definition a `workflow:` callback names, for the parent's owner; `nil` if none.
    public typealias ChildResolver = @Sendable (_ name: String, _ owner: String?) async throws -> ChildWorkflow.Definition?

    private let coordinator: ExecutionCoordinator
    private let store: any ExecutionStore
    private let childExecutionLimit: Int
    private let resolveChild: ChildResolver

    /// A handler that applies events through `coordinator` and counts children into their trees
    /// in `store`, each tree holding at most `childExecutionLimit` children.
    public init(
        coordinator: ExecutionCoordinator, store: any ExecutionStore, childExecutionLimit: Int = ChildWorkflow.defaultTreeLimit,
        resolveChild: @escaping ChildResolver
    ) {
        self.coordinator = coordinator
        self.store = store
        self.childExecutionLimit = childExecutionLimit
        self.resolveChild = resolveChild
    }

    /// Decodes and carries out one outbox payload. Throws when it should be tried again later.
    public func handle(payload: Data) async throws {
        let message = try JSONValueDecoder().decode(CoordinatorMessage.self, from: payload)
        do {
            try await handle(message)
        } catch CoordinatorError.unknownExecution {
            // The execution was deleted: nothing is left to act on.
        }
    }

    /// Carries out `message`.
    public func handle(_ message: CoordinatorMessage) async throws {
        switch message {
        case .timerFired(let executionID, let timerID):
            try await coordinator.deliver(.timerFired(timerID: timerID), to: executionID)
        case .childFinished(let parentID, let parentTaskID, let outcome):
            try await coordinator.deliver(.taskCompleted(taskID: parentTaskID, outcome: outcome), to: parentID)
        case .startChild(let parentID, let parentTaskID, let owner, let workflow, let input):
            try await startChild(parentID: parentID, parentTaskID: parentTaskID, owner: owner, workflow: workflow, input: input)
        }
    }

    private func startChild(parentID: String, parentTaskID: String, owner: String?, workflow: String, input: JSONValue) async throws {
        let childID = ChildWorkflow.executionID(forTask: parentTaskID)
        let fail = { (failure: TaskFailure) async throws -> Void in
            _ = try await coordinator.deliver(.taskCompleted(taskID: parentTaskID, outcome: .failed(failure)), to: parentID)
        }
        if let refusal = try await ChildWorkflow.refusal(toStart: childID, of: parentID, in: store, treeLimit: childExecutionLimit) {
            return try await fail(refusal)
        }
        guard let child = try await resolveChild(workflow, owner) else {
            return try await fail(
                TaskFailure(errorClass: "workflow_not_found", message: "no workflow named `\(workflow)` is stored\(owner.map { " for \($0)" } ?? "")"))
        }
        let origin = ExecutionOrigin(
            owner: owner, workflowID: child.workflowID, workflowVersion: child.version, parentID: parentID, parentTaskID: parentTaskID)
        do {
            _ = try await coordinator.start(definition: child.definition, source: child.source, input: input, executionID: childID, origin: origin)
        } catch StoreError.duplicateExecution {
            // Started before (this row was relayed twice); its completion reaches the parent by its own outbox row.
        } catch CoordinatorError.invalidInput(let error) {
            try await fail(TaskFailure(errorClass: "invalid_input", message: "child workflow `\(workflow)`: \(error)"))
        }
    }
}
