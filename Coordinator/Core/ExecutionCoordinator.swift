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
/// One actor serialises the steps of all executions it drives, so two events for one execution
/// never race; the store's sequence check still protects against a second coordinator.
public actor ExecutionCoordinator {
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
    private var engines: [String: WorkflowEngine] = [:]
    private var turns = KeyedSerializer()

    /// - Parameters:
    ///   - store: where executions and transitions are persisted.
    ///   - performer: what carries out dispatches, timers and cancellations.
    ///   - clock: the time passed to the engine.
    ///   - validation: the limits stored definitions are loaded with (the ones they were accepted
    ///     under); their address policy is not checked again on reload.
    ///   - observer: called after each persisted step with the new instance and its transitions (progress, streams).
    public init(
        store: any ExecutionStore, performer: any EffectPerformer, clock: @escaping @Sendable () -> Date = { Date() },
        validation: ValidationOptions = ValidationOptions(), observer: (@Sendable (ExecutionInstance, [TransitionRecord]) -> Void)? = nil
    ) {
        self.store = store
        self.performer = performer
        self.clock = clock
        self.validation = validation
        self.observer = observer
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
        let engine = engine(for: definition, source: source)
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

    /// Applies `event` to the execution. Events that change nothing (duplicates, late reports) are
    /// dropped. When another coordinator moved the execution first, the event is applied again to
    /// what it stored.
    ///
    /// - Parameter fencingToken: the token of the lock under which the event's work was done; the
    ///   store refuses it if a newer one was accepted (``StoreError/staleFencingToken(executionID:token:current:)``).
    /// - Returns: `false` when the event changed nothing (the execution is terminal, or nothing waits for the event).
    @discardableResult
    public func deliver(_ event: EngineEvent, to executionID: String, fencingToken: Int64? = nil) async throws -> Bool {
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
        let committed: CommitResult
        do {
            committed = try await store.commit(update, outbox: outbox)
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
    public func resume(_ executionID: String) async throws -> ExecutionRecord {
        await takeTurn(executionID)
        defer { turns.hand(executionID) }
        live[executionID] = nil
        let current = try await load(executionID)
        await performer.perform(current.engine.recover(current.instance), for: current.instance, staged: [])
        return current.record
    }

    /// The stored execution and its decoded instance.
    public func instance(_ executionID: String) async throws -> ExecutionInstance {
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
        let loaded = Live(record: record, instance: instance, engine: engine(for: definition, source: record.definitionSource))
        if !instance.status.isTerminal { live[executionID] = loaded }
        return loaded
    }

    /// One compiled engine per definition text, shared by all its executions.
    private func engine(for definition: WorkflowDefinition, source: String) -> WorkflowEngine {
        if let engine = engines[source] { return engine }
        let engine = WorkflowEngine(CompiledWorkflow(definition))
        engines[source] = engine
        return engine
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

    /// A new random execution id.
    public static func newExecutionID() -> String {
        UUID.systemRandom().uuidString.lowercased()
    }
}
