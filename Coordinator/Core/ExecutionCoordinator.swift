public import Foundation
public import WorkflowDSL
public import WorkflowDrivers
public import WorkflowEngine
public import WorkflowJSON
public import WorkflowProtocol

/// Owns every decision about executions: applies events through the engine, persists each step
/// atomically and idempotently in the ``ExecutionStore``, then hands the step's effects to an
/// ``EffectPerformer``. The embedded runtime and the distributed coordinator both stand on it.
///
/// Executions are spread by id over shards, one actor each (`CoordinatorShard`): the steps of
/// one execution are serialised in its shard, so two events for it never race, while executions
/// in different shards advance on different cores. The store's sequence check still protects
/// against a second coordinator process.
public final class ExecutionCoordinator: Sendable {
    private let shards: [CoordinatorShard]

    /// - Parameters:
    ///   - store: where executions and transitions are persisted.
    ///   - performer: what carries out dispatches, timers and cancellations.
    ///   - clock: the time passed to the engine.
    ///   - validation: the limits stored definitions are loaded with (the ones they were accepted
    ///     under), as ``WorkflowDSL/ValidationOptions/forRunning`` has them; their address policy
    ///     is not checked again on reload.
    ///   - shards: how many actors share the executions; by default one per active processor.
    ///   - observer: called after each persisted step with the new instance and its transitions
    ///     (progress, streams); steps of different executions may call it concurrently.
    public init(
        store: any ExecutionStore, performer: any EffectPerformer, clock: @escaping @Sendable () -> Date = { Date() },
        validation: ValidationOptions = ValidationOptions(), shards: Int = ProcessInfo.processInfo.activeProcessorCount,
        observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)? = nil
    ) {
        let engines = EngineCache()
        self.shards = (0..<max(1, shards)).map { _ in
            CoordinatorShard(
                store: store, performer: performer, engines: engines, clock: clock, validation: validation.forRunning, observer: observer)
        }
    }

    /// Starts an execution of a validated definition; returns once its first step is persisted and performed.
    ///
    /// - Parameters:
    ///   - source: the definition's text, stored with the execution so it can resume without the file.
    ///   - executionID: the id to use; a random one when `nil`.
    ///   - origin: who started it and from where.
    ///   - startState: begin at this top-level state with `context` (a retry from a chosen state).
    /// - Throws: ``CoordinatorError/invalidInput(_:)``, or a store error such as
    ///   ``StoreError/duplicateIdempotencyKey(existingID:)``.
    public func start(
        definition: WorkflowDefinition, source: String, input: JSONValue, executionID: String? = nil,
        origin: ExecutionOrigin = ExecutionOrigin(), startState: String? = nil, context: JSONValue = .emptyObject
    ) async throws -> ExecutionRecord {
        let id = executionID ?? Self.newExecutionID()
        return try await shard(of: id).start(
            definition: definition, source: source, input: input, executionID: id, origin: origin, startState: startState, context: context)
    }

    /// Applies `event` to the execution. Events that change nothing (duplicates, late reports) are
    /// dropped. When another coordinator moved the execution first, the event is applied again to
    /// what it stored.
    ///
    /// - Parameter fencingToken: the token of the lock under which the event's work was done; the
    ///   store refuses it if a newer one was accepted (``StoreError/staleFencingToken(executionID:token:current:)``).
    /// - Returns: `false` when the event changed nothing (the execution is terminal, or nothing waits for the event).
    @discardableResult
    public func deliver(_ event: EngineEvent, to executionID: String, fencingToken: Int64? = nil) async throws -> Bool {
        try await shard(of: executionID).deliver(event, to: executionID, fencingToken: fencingToken)
    }

    /// Puts a stored execution back in motion after a restart: re-dispatches its pending tasks and
    /// re-arms its timers. Returns the execution as stored.
    @discardableResult
    public func resume(_ executionID: String) async throws -> ExecutionRecord {
        try await shard(of: executionID).resume(executionID)
    }

    /// The stored execution and its decoded instance.
    public func instance(_ executionID: String) async throws -> ExecutionInstance {
        try await shard(of: executionID).instance(executionID)
    }

    /// A new random execution id.
    public static func newExecutionID() -> String {
        UUID.systemRandom().uuidString.lowercased()
    }

    /// The shard that drives `executionID` (the same one for the life of this coordinator).
    private func shard(of executionID: String) -> CoordinatorShard {
        shards.count == 1 ? shards[0] : shards[Int(UInt(bitPattern: executionID.hashValue) % UInt(shards.count))]
    }
}
