public import WorkflowDrivers
public import WorkflowEngine

/// Carries out what the engine asked for: dispatches tasks, sets and cancels timers, stops tasks,
/// and learns when an execution finished.
///
/// A step's effects go through two doors. ``outbox(for:of:record:)`` turns the ones that must
/// survive a crash into messages the store writes in the same transaction as the step
/// (distributed mode: every task and timer), and ``withdrawn(by:of:)`` names the messages
/// of earlier steps that the step makes moot (cancelled timers), which the store deletes with it;
/// ``perform(_:for:staged:)`` runs after the commit for the rest (embedded mode: everything, in
/// process).
///
/// Both run on the caller's executor (`nonisolated(nonsending)`), so a coordinator shard calls them
/// without hopping off its actor and back; they must not block.
public protocol EffectPerformer: Sendable {
    /// The messages to write atomically with the step that produced `effects`. Default: none.
    nonisolated(nonsending) func outbox(for effects: [EngineEffect], of instance: ExecutionInstance, record: ExecutionRecord) async throws -> [OutboxMessage]

    /// The ids of messages that earlier steps staged and `effects` make moot (never one this step
    /// stages): the store deletes those not yet published when the step applies. Default: none.
    func withdrawn(by effects: [EngineEffect], of instance: ExecutionInstance) -> [String]

    /// Performs `effects`, produced by the step that led to `instance`, in order, once the step is
    /// stored; `staged` are the messages ``outbox(for:of:record:)`` made for it, written with it.
    nonisolated(nonsending) func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async
}

extension EffectPerformer {
    public nonisolated(nonsending) func outbox(for effects: [EngineEffect], of instance: ExecutionInstance, record: ExecutionRecord) async throws -> [OutboxMessage] {
        []
    }

    public func withdrawn(by effects: [EngineEffect], of instance: ExecutionInstance) -> [String] {
        []
    }
}
