public import WorkflowEngine

/// Carries out what the engine asked for: dispatches tasks, sets and cancels timers, stops tasks,
/// and learns when an execution finished. Embedded mode performs effects in process; distributed
/// mode writes them to the outbox.
public protocol EffectPerformer: Sendable {
    /// Performs `effects`, produced by the step that led to `instance`, in order.
    func perform(_ effects: [EngineEffect], for instance: ExecutionInstance) async
}
