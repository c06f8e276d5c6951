import Synchronization
import WorkflowDSL
import WorkflowEngine
import WorkflowProtocol

/// A unit of work for the embedded worker pool.
enum RuntimeJob: Sendable {
    /// Run a state's callback and report the outcome.
    case task(StateTask)
    /// Deliver an event (a timer, a child's result) to an execution.
    case event(executionID: String, EngineEvent)
    /// Start (or pick up again) the child execution a `workflow` callback asked for.
    case child(StateTask, ChildWorkflowCallback)
}

/// The in-process broker: an unbounded FIFO of jobs that the worker pool's consumers drain.
///
/// Several consumers wait on it at once (one per callback slot), so a published job goes straight
/// to a waiting consumer: no dispatcher task in between and no task started per job.
final class JobQueue: Sendable {
    private struct State {
        var jobs: [RuntimeJob] = []
        /// Index of the oldest job in `jobs` (taken jobs before it are dropped in batches).
        var head = 0
        var waiting: [CheckedContinuation<RuntimeJob?, Never>] = []
        var closed = false
    }

    private let state = Mutex(State())

    func publish(_ job: RuntimeJob) {
        let consumer = state.withLock { state -> CheckedContinuation<RuntimeJob?, Never>? in
            guard !state.closed else { return nil }
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.jobs.append(job)
            return nil
        }
        consumer?.resume(returning: job)
    }

    /// The oldest job, waiting for one if there is none; `nil` once the queue is closed and empty.
    func next() async -> RuntimeJob? {
        await withCheckedContinuation { continuation in
            let job = state.withLock { state -> RuntimeJob?? in
                if state.head < state.jobs.count {
                    let job = state.jobs[state.head]
                    state.head += 1
                    if state.head >= 1024, state.head * 2 >= state.jobs.count {
                        state.jobs.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(job)
                }
                if state.closed { return .some(nil) }
                state.waiting.append(continuation)
                return nil
            }
            if let job { continuation.resume(returning: job) }
        }
    }

    /// Ends the queue: consumers take what it holds, then get `nil`.
    func close() {
        let consumers = state.withLock { state -> [CheckedContinuation<RuntimeJob?, Never>] in
            state.closed = true
            defer { state.waiting = [] }
            return state.waiting
        }
        consumers.forEach { $0.resume(returning: nil) }
    }
}
