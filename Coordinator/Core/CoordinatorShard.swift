import Foundation
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// One shard of the ``ExecutionCoordinator``: drives the executions whose ids hash to it. Applies
/// events through the engine, persists each step atomically and idempotently in the
/// ``ExecutionStore``, then hands the step's effects to an ``EffectPerformer``.
///
/// The actor is re-entrant across the store's suspensions; each execution's turn
/// (``KeyedSerializer``) keeps its steps strictly in order, so two events for one execution never
/// race. The store's sequence check still protects against a second coordinator.
actor CoordinatorShard {
    /// An execution in motion, kept decoded so events don't pay for a load.
    private struct Live {
        var record: ExecutionRecord
        var instance: ExecutionInstance
        let engine: WorkflowEngine
    }

    private let store: any ExecutionStore
    private let performer: any EffectPerformer
    private let clock: @Sendable () -> Date
    private let validation: ValidationOptions
    private let observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)?
    private var live: [String: Live] = [:]
    private let engines: EngineCache
    private var turns = KeyedSerializer()

    init(
        store: any ExecutionStore, performer: any EffectPerformer, engines: EngineCache, clock: @escaping @Sendable () -> Date,
        validation: ValidationOptions, observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)?
    ) {
        self.engines = engines
        self.store = store
        self.performer = performer
        self.clock = clock
        self.validation = validation
        self.observer = observer
    }

    /// ``ExecutionCoordinator/start(definition:source:input:executionID:origin:startState:context:)`` for `id`.
    func start(
        definition: WorkflowDefinition, source: String, input: JSONValue, executionID id: String,
        origin: ExecutionOrigin, startState: String?, context: JSONValue
    ) async throws -> ExecutionRecord {
        let engine = engines.engine(for: definition, source: source)
        let now = Self.milliseconds(clock())
        let step: EngineStep
        do {
            step = try engine.start(executionID: id, input: input, now: now, startState: startState, context: context)
        } catch {
            throw CoordinatorError.invalidInput(error)
        }
        let record = ExecutionRecord(
            id: id, workflowName: definition.name, definitionSource: source, status: step.instance.status,
            sequence: step.instance.sequence, snapshot: Self.snapshot(of: step.instance), input: step.instance.input,
            output: step.instance.status.isTerminal ? step.instance.output : nil, error: step.instance.error.map(Self.errorValue),
            parentID: origin.parentID, parentTaskID: origin.parentTaskID, owner: origin.owner, workflowID: origin.workflowID,
            workflowVersion: origin.workflowVersion, idempotencyKey: origin.idempotencyKey, createdAt: now, updatedAt: now)
        let outbox = try await performer.outbox(for: step.effects, of: step.instance, record: record)
        try await store.create(record, transitions: step.transitions, outbox: outbox)
        if !step.instance.status.isTerminal {
            live[id] = Live(record: record, instance: step.instance, engine: engine)
        }
        observer?(step.instance, step.transitions)
        await performer.perform(step.effects, for: step.instance, staged: outbox)
        return record
    }

    /// ``ExecutionCoordinator/deliver(_:to:fencingToken:)``.
    @discardableResult
    func deliver(_ event: EngineEvent, to executionID: String, fencingToken: Int64? = nil) async throws -> Bool {
        await takeTurn(executionID)
        defer { turns.hand(executionID) }
        var attempt = 1
        while true {
            do {
                return try await apply(event, to: executionID, fencingToken: fencingToken)
            } catch StoreError.conflict where attempt < Self.conflictAttempts {
                attempt += 1  // `apply` dropped the cached instance: the next round reloads it
            }
        }
    }

    /// How often ``deliver(_:to:fencingToken:)`` reloads and re-applies after losing a race.
    static let conflictAttempts = 5

    private func apply(_ event: EngineEvent, to executionID: String, fencingToken: Int64?) async throws -> Bool {
        let cached = live[executionID] != nil
        var current = try await load(executionID)
        let now = clock()
        let step = current.engine.apply(event, to: current.instance, now: now)
        guard !step.isNoOp else {
            // Another coordinator replica may have moved the execution since it was cached (for
            // instance dispatched the task this report answers): look again before dropping the event.
            if cached {
                live[executionID] = nil
                return try await apply(event, to: executionID, fencingToken: fencingToken)
            }
            return false
        }
        let update = ExecutionUpdate(
            executionID: executionID, expectedSequence: current.instance.sequence, status: step.instance.status,
            snapshot: Self.snapshot(of: step.instance), transitions: step.transitions,
            output: step.instance.status.isTerminal ? step.instance.output : nil,
            error: step.instance.error.map(Self.errorValue), updatedAt: now, fencingToken: fencingToken)
        let outbox = try await performer.outbox(for: step.effects, of: step.instance, record: current.record)
        let withdrawn = performer.withdrawn(by: step.effects, of: step.instance)
        let committed: CommitResult
        do {
            committed = try await store.commit(update, outbox: outbox, withdrawing: withdrawn)
        } catch {
            live[executionID] = nil  // reload from the store next time: another writer moved it
            throw error
        }
        if committed == .duplicate {
            // The store already holds a step with this sequence number: this very step, or — with
            // several coordinator replicas — another replica's step that took the same number.
            // Taking it for ours would keep a cached instance the store never saw (one replica's
            // report silently dropped, and its snapshot written over the other's later). Reload and
            // apply the event to what is stored instead: a true repeat is then a no-op.
            live[executionID] = nil
            throw StoreError.conflict(executionID: executionID, expected: update.expectedSequence, found: update.newSequence)
        }
        current.instance = step.instance
        current.record.status = step.instance.status
        current.record.sequence = step.instance.sequence
        if step.instance.status.isTerminal {
            live[executionID] = nil
        } else {
            live[executionID] = current
        }
        observer?(step.instance, step.transitions)
        await performer.perform(step.effects, for: step.instance, staged: outbox)
        return true
    }

    /// Puts a stored execution back in motion after a restart: re-dispatches its pending tasks and
    /// re-arms its timers. Returns the execution as stored.
    @discardableResult
    func resume(_ executionID: String) async throws -> ExecutionRecord {
        await takeTurn(executionID)
        defer { turns.hand(executionID) }
        live[executionID] = nil
        let current = try await load(executionID)
        await performer.perform(current.engine.recover(current.instance, now: clock()), for: current.instance, staged: [])
        return current.record
    }

    /// The stored execution and its decoded instance.
    func instance(_ executionID: String) async throws -> ExecutionInstance {
        try await load(executionID).instance
    }

    /// Waits until no other step of `executionID` is in progress, then holds its turn.
    private func takeTurn(_ executionID: String) async {
        guard !turns.tryTake(executionID) else { return }
        await withCheckedContinuation { turns.enqueue(executionID, $0) }
    }

    private func load(_ executionID: String) async throws -> Live {
        if let cached = live[executionID] { return cached }
        guard let record = try await store.execution(id: executionID) else {
            throw CoordinatorError.unknownExecution(executionID)
        }
        // The definition passed the address policy when it was stored; checking it again here would
        // strand the execution on a coordinator started with another allow-list (or after a restart).
        // Workers still check every address they connect to.
        var options = validation
        options.addressPolicy = .unrestricted
        let document = WorkflowDocument.load(record.definitionSource, options: options)
        guard let definition = document.definition, document.isValid else {
            throw CoordinatorError.invalidDefinition(document.diagnostics)
        }
        let instance = try JSONValueDecoder().decode(ExecutionInstance.self, from: record.snapshot.data())
        let loaded = Live(record: record, instance: instance, engine: engines.engine(for: definition, source: record.definitionSource))
        if !instance.status.isTerminal { live[executionID] = loaded }
        return loaded
    }

    /// `date` cut to whole milliseconds, the precision every store keeps.
    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// The instance's snapshot, encoded when a store first asks for its bytes.
    private static func snapshot(of instance: ExecutionInstance) -> ExecutionSnapshot {
        ExecutionSnapshot { instance.snapshotJSON() }
    }

    static func errorValue(_ failure: TaskFailure) -> JSONValue {
        ["error": .string(failure.errorClass), "message": .string(failure.message)]
    }
}
