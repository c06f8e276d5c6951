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

/// The in-process broker: an unbounded FIFO of jobs that the worker pool drains.
final class JobQueue: Sendable {
    let jobs: AsyncStream<RuntimeJob>
    private let continuation: AsyncStream<RuntimeJob>.Continuation

    init() {
        (jobs, continuation) = AsyncStream.makeStream(of: RuntimeJob.self)
    }

    func publish(_ job: RuntimeJob) {
        continuation.yield(job)
    }

    /// Ends the stream: the pool finishes what it holds and returns.
    func close() {
        continuation.finish()
    }
}
