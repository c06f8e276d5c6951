import WorkflowDrivers
import WorkflowProtocol

/// An in-memory store that opens the windows races need: with `lookupMisses` its look-up by
/// idempotency key always misses, as if a racing start had not committed yet (its create still
/// refuses the key); with `countDelay` a count of unfinished executions answers that long after
/// it read the store, so concurrent starts all count before any of them is created, and starts
/// written meanwhile are not in it; with `createDelay` a new execution
/// is written that much later, so a count meanwhile does not see it. `createGate` and `countGate`
/// order the same windows without timing: a create passes its gate before it writes, a count
/// after it read the store and before it answers.
struct RacingStore: ExecutionStore {
    let inner = InMemoryExecutionStore()
    var lookupMisses = false
    var countDelay: Duration?
    var createDelay: Duration?
    var createGate: Gate?
    var countGate: Gate?

    func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws {
        if let createDelay { try await Task.sleep(for: createDelay) }
        await createGate?.pass()
        try await inner.create(execution, transitions: transitions, outbox: outbox)
    }
    nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult {
        try await inner.commit(update, outbox: outbox, withdrawing: withdrawn)
    }
    func execution(id: String) async throws -> ExecutionRecord? { try await inner.execution(id: id) }
    func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord? {
        lookupMisses ? nil : try await inner.execution(owner: owner, idempotencyKey: idempotencyKey)
    }
    func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
        try await inner.transitions(executionID: executionID, afterSequence: afterSequence)
    }
    func executions(matching query: ExecutionQuery) async throws -> ExecutionPage { try await inner.executions(matching: query) }
    func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool {
        try await inner.admitChild(childID, of: parentID, limit: limit)
    }
    func unfinishedCount(owner: String, limit: Int) async throws -> Int {
        // Reads first, then takes `countDelay` to answer: starts written meanwhile are not in it.
        let counted = try await inner.unfinishedCount(owner: owner, limit: limit)
        if let countDelay { try await Task.sleep(for: countDelay) }
        await countGate?.pass()
        return counted
    }
}
