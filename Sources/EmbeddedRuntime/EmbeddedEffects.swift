import Foundation
import LazyRabbitCoordinator
import Synchronization
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// Performs engine effects in process: tasks and child starts go to the job queue, timers to the
/// timer service, and finished executions wake whoever waits for them (a parent, or a caller).
final class EmbeddedEffects: EffectPerformer {
    private enum Slot {
        case waiting([CheckedContinuation<ExecutionInstance, Never>])
        case done(ExecutionInstance)
    }

    private struct State {
        var slots: [String: Slot] = [:]
        /// Child execution id → the parent and the task that started it.
        var parents: [String: (executionID: String, taskID: String)] = [:]
    }

    private let queue: JobQueue
    private let timers: TimerService
    private let state = Mutex(State())

    init(queue: JobQueue, timers: TimerService) {
        self.queue = queue
        self.timers = timers
    }

    nonisolated(nonsending) func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async {
        for effect in effects {
            switch effect {
            case .dispatch(let task):
                if case .workflow(let child) = task.callback {
                    queue.publish(.child(task, child))
                } else {
                    queue.publish(.task(task))
                }
            case .scheduleTimer(let id, let fireAt):
                timers.schedule(executionID: instance.id, timerID: id, at: fireAt)
            case .cancelTimer(let id, _):
                timers.cancel(executionID: instance.id, timerID: id)
            case .cancelTask:
                // In process, the engine already ignores the task's late report, and the callback's
                // own timeout bounds how long it can run.
                break
            case .finished:
                finished(instance)
            }
        }
    }

    /// Announces interest in `executionID`'s end; call before starting or resuming it.
    func expect(_ executionID: String) {
        state.withLock { state in
            if state.slots[executionID] == nil { state.slots[executionID] = .waiting([]) }
        }
    }

    /// The execution once terminal (``expect(_:)`` must have been called).
    func completion(of executionID: String) async -> ExecutionInstance {
        await withCheckedContinuation { continuation in
            let done: ExecutionInstance? = state.withLock { state in
                switch state.slots[executionID] {
                case .done(let instance):
                    state.slots[executionID] = nil
                    return instance
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state.slots[executionID] = .waiting(waiters)
                    return nil
                case nil:
                    state.slots[executionID] = .waiting([continuation])
                    return nil
                }
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Remembers that `childID` reports to `parentID`'s task `taskID`.
    func adopt(_ childID: String, parentID: String, taskID: String) {
        state.withLock { $0.parents[childID] = (parentID, taskID) }
    }

    /// An execution ended: wake its waiters, and report to its parent if it is a child.
    func finished(_ instance: ExecutionInstance) {
        let (waiters, parent) = state.withLock { state -> ([CheckedContinuation<ExecutionInstance, Never>], (executionID: String, taskID: String)?) in
            let parent = state.parents.removeValue(forKey: instance.id)
            guard case .waiting(let waiters) = state.slots[instance.id] else { return ([], parent) }
            state.slots[instance.id] = waiters.isEmpty ? .done(instance) : nil
            return (waiters, parent)
        }
        for waiter in waiters { waiter.resume(returning: instance) }
        if let parent {
            queue.publish(.event(executionID: parent.executionID, .taskCompleted(taskID: parent.taskID, outcome: ChildWorkflow.outcome(of: instance))))
        }
    }
}
