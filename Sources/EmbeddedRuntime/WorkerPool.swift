import Foundation
import LazyRabbitCoordinator
import LazyRabbitWorker
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// Drains the job queue with at most `concurrency` jobs at once: runs callbacks under a per-task
/// lock, delivers events, and starts child executions.
struct WorkerPool: Sendable {
    let queue: JobQueue
    let runner: TaskRunner
    let coordinator: ExecutionCoordinator
    /// Where parents' owners are read (a child runs as its parent's owner).
    let store: any ExecutionStore
    let effects: EmbeddedEffects
    let locks: any LockService
    let catalog: WorkflowCatalog
    /// How many child executions one root may have.
    let childExecutionLimit: Int
    let concurrency: Int
    let onError: @Sendable (String) -> Void

    /// Runs until the queue is closed and every job taken has finished: `concurrency` consumers,
    /// each taking the next job once it is done with its last.
    func run() async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while let job = await queue.next() { await handle(job) }
                }
            }
        }
    }

    private func handle(_ job: RuntimeJob) async {
        switch job {
        case .task(let task): await run(task)
        case .event(let executionID, let event): await deliver(event, to: executionID)
        case .child(let task, let child): await startChild(child, for: task)
        }
    }

    /// Runs a callback while holding the task's lock, so a re-dispatched task never runs twice at once.
    private func run(_ task: StateTask) async {
        let ttl = (task.timeoutMilliseconds ?? 300_000) + 30_000
        guard let grant = try? await locks.acquire(task.taskID, ttlMilliseconds: ttl) else { return }
        let outcome = await runner.run(task)
        await deliver(.taskCompleted(taskID: task.taskID, outcome: outcome), to: task.executionID)
        try? await locks.release(grant)
    }

    private func deliver(_ event: EngineEvent, to executionID: String) async {
        do {
            try await coordinator.deliver(event, to: executionID)
        } catch is CancellationError where Task.isCancelled {
            // The runtime is stopping (the run ended, say by the engine's own timeout timer racing
            // this task's): the event is not lost, a resumed run dispatches the task again.
        } catch {
            onError("execution \(executionID): could not apply \(event): \(error)")
        }
    }

    /// Starts the child a `workflow` callback names, or picks it up again after a restart.
    private func startChild(_ child: ChildWorkflowCallback, for task: StateTask) async {
        let childID = ChildWorkflow.executionID(forTask: task.taskID)
        let fail = { (failure: TaskFailure) in
            await deliver(.taskCompleted(taskID: task.taskID, outcome: .failed(failure)), to: task.executionID)
        }
        effects.adopt(childID, parentID: task.executionID, taskID: task.taskID)
        do {
            let existing = try await coordinator.instance(childID)
            if existing.status.isTerminal {
                effects.finished(existing)
            } else {
                try await coordinator.resume(childID)
            }
            return
        } catch CoordinatorError.unknownExecution {
            // Not started yet: start it below.
        } catch {
            return await fail(TaskFailure(errorClass: "child_failed", message: "could not load child execution \(childID): \(error)"))
        }
        // The child belongs to its parent's owner and is looked up among their workflows.
        let owner: String?
        let found: ChildWorkflow.Definition?
        do {
            if let refusal = try await ChildWorkflow.refusal(toStart: childID, of: task.executionID, in: store, treeLimit: childExecutionLimit) {
                return await fail(refusal)
            }
            owner = try await store.execution(id: task.executionID)?.owner
            found = try await catalog.resolve(child.workflow, owner: owner)
        } catch {
            return await fail(TaskFailure(errorClass: "child_failed", message: "could not look up workflow `\(child.workflow)`: \(error)"))
        }
        guard let entry = found else {
            let known = catalog.entries.keys.sorted()
            let message = "no workflow named `\(child.workflow)` is known\(owner.map { " for \($0)" } ?? "")"
                + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
            return await fail(TaskFailure(errorClass: "workflow_not_found", message: message))
        }
        do {
            _ = try await coordinator.start(
                definition: entry.definition, source: entry.source, input: child.input ?? .emptyObject,
                executionID: childID,
                origin: ExecutionOrigin(
                    owner: owner, workflowID: entry.workflowID, workflowVersion: entry.version, parentID: task.executionID,
                    parentTaskID: task.taskID))
        } catch CoordinatorError.invalidInput(let error) {
            await fail(TaskFailure(errorClass: "invalid_input", message: "child workflow `\(child.workflow)`: \(error)"))
        } catch {
            await fail(TaskFailure(errorClass: "child_failed", message: "could not start child workflow `\(child.workflow)`: \(error)"))
        }
    }
}
