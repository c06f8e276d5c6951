import Foundation
import Synchronization
public import WorkflowProtocol

/// An ``ExecutionStore`` that keeps everything in memory, for tests and benchmarks.
///
/// It follows the same rules as the durable stores (optimistic commits, idempotent re-apply,
/// contiguous transitions, stale fencing tokens refused) and passes the same conformance suite; it just forgets everything
/// when the process ends.
///
/// ```swift
/// let store = InMemoryExecutionStore()
/// try await store.create(record, transitions: [])
/// ```
public final class InMemoryExecutionStore: ExecutionStore {
    private struct Entry {
        var execution: ExecutionRecord
        var transitions: [TransitionRecord]
        /// The highest fencing token accepted for the execution.
        var fencingToken: Int64?
    }

    /// The trees of child workflows: each admitted child's root, and how many children each root has.
    private struct Trees {
        var rootOfChild: [String: String] = [:]
        var children: [String: Int] = [:]
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let staged = Mutex<[OutboxMessage]>([])
    private let trees = Mutex(Trees())

    /// Creates an empty store.
    public init() {}

    /// The outbox messages staged by applied creates and commits, in order (a test's view of the outbox).
    public var stagedMessages: [OutboxMessage] {
        staged.withLock { $0 }
    }

    public func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws {
        var execution = execution
        execution.createdAt = ExecutionRecord.storedDate(execution.createdAt)
        execution.updatedAt = ExecutionRecord.storedDate(execution.updatedAt)
        try entries.withLock { entries in
            guard entries[execution.id] == nil else { throw StoreError.duplicateExecution(execution.id) }
            if let key = execution.idempotencyKey,
               let existing = entries.values.first(where: { $0.execution.idempotencyKey == key && $0.execution.owner == execution.owner }) {
                throw StoreError.duplicateIdempotencyKey(existingID: existing.execution.id)
            }
            entries[execution.id] = Entry(execution: execution, transitions: transitions.sorted { $0.sequence < $1.sequence })
            staged.withLock { $0.append(contentsOf: outbox) }
        }
    }

    public func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool {
        trees.withLock { trees in
            guard trees.rootOfChild[childID] == nil else { return true }
            let root = trees.rootOfChild[parentID] ?? parentID
            guard trees.children[root, default: 0] < limit else { return false }
            trees.rootOfChild[childID] = root
            trees.children[root, default: 0] += 1
            return true
        }
    }

    public func unfinishedCount(owner: String, limit: Int) async throws -> Int {
        min(max(0, limit), entries.withLock { entries in entries.values.count { $0.execution.owner == owner && !$0.execution.status.isTerminal } })
    }

    /// Withdrawn messages leave ``stagedMessages`` (nothing here publishes them).
    public nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult {
        try update.validate()
        return try entries.withLock { entries in
            guard let index = entries.index(forKey: update.executionID) else { throw StoreError.executionNotFound(update.executionID) }
            // Changed in place: a copy of the entry would copy its whole transition history on every step.
            return try apply(update, to: &entries.values[index], staging: outbox, withdrawing: Set(withdrawn))
        }
    }

    /// Applies `update` to `entry` (``commit(_:outbox:withdrawing:)`` holds the entries' lock).
    private func apply(_ update: ExecutionUpdate, to entry: inout Entry, staging outbox: [OutboxMessage], withdrawing withdrawn: Set<String>) throws -> CommitResult {
        if let token = update.fencingToken, let current = entry.fencingToken, token < current {
            throw StoreError.staleFencingToken(executionID: update.executionID, token: token, current: current)
        }
        let stored = entry.execution.sequence
        if stored == update.expectedSequence {
            if let token = update.fencingToken { entry.fencingToken = max(entry.fencingToken ?? token, token) }
            entry.execution.status = update.status
            entry.execution.snapshot = update.snapshot
            entry.execution.sequence = update.newSequence
            entry.execution.output = update.output
            entry.execution.error = update.error
            entry.execution.updatedAt = ExecutionRecord.storedDate(update.updatedAt)
            entry.transitions.append(contentsOf: update.transitions)
            staged.withLock { staged in
                if !withdrawn.isEmpty { staged.removeAll { withdrawn.contains($0.messageID) } }  // not a scan per commit
                staged.append(contentsOf: outbox)
            }
            return .applied
        }
        if stored >= update.newSequence, entry.transitions.contains(where: { $0.sequence == update.newSequence }) {
            return .duplicate
        }
        throw StoreError.conflict(executionID: update.executionID, expected: update.expectedSequence, found: stored)
    }

    public func execution(id: String) async throws -> ExecutionRecord? {
        entries.withLock { $0[id]?.execution }
    }

    public func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
        entries.withLock { entries in
            (entries[executionID]?.transitions ?? []).filter { $0.sequence > afterSequence }
        }
    }

    public func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord? {
        entries.withLock { entries in
            entries.values.first { $0.execution.idempotencyKey == idempotencyKey && $0.execution.owner == owner }?.execution
        }
    }

    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        let matching = entries.withLock { entries in
            entries.values.map(\.execution).filter(query.matches)
        }
        let newestFirst = matching.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return ExecutionPage(executions: Array(newestFirst.prefix(max(0, query.limit))), limit: query.limit)
    }
}
