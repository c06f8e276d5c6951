import Foundation
import GRDB
public import WorkflowDrivers
import WorkflowJSON
public import WorkflowProtocol

/// An ``ExecutionStore`` in one SQLite file, for embedded mode: it survives a restart and a `kill -9`.
///
/// The file runs in WAL mode (readers never wait for the writer); each ``commit(_:)`` is one write
/// transaction that checks the fencing token and the stored sequence number, writes the snapshot and inserts the
/// transitions, so a step is stored completely or not at all.
///
/// ```swift
/// let store = try SQLiteExecutionStore(path: "/var/lib/lazyrabbit/executions.sqlite")
/// let result = try await store.commit(update)   // .applied, .duplicate, or throws StoreError.conflict
/// ```
public final class SQLiteExecutionStore: ExecutionStore {
    /// How the store opens its file.
    public struct Configuration: Sendable {
        /// Flush the WAL to disk at every commit (`PRAGMA synchronous = FULL`). Default `false`:
        /// `NORMAL`, which survives a process crash or `kill -9` but may lose the last commits on power loss.
        public var synchronousFull: Bool
        /// How long a writer waits for another connection's lock before failing. Default 5 s.
        public var busyTimeout: Duration

        /// The defaults: `synchronous = NORMAL`, 5 s busy timeout.
        public init(synchronousFull: Bool = false, busyTimeout: Duration = .seconds(5)) {
            self.synchronousFull = synchronousFull
            self.busyTimeout = busyTimeout
        }
    }

    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, switches it to WAL mode and migrates it.
    /// A ``SQLiteWorkflowRepository`` may open the same file.
    public convenience init(path: String, configuration: Configuration = Configuration()) throws {
        self.init(writer: try SQLiteDatabase.open(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests: same schema and rules, gone when the store is released.
    public static func inMemory() throws -> SQLiteExecutionStore {
        SQLiteExecutionStore(writer: try SQLiteDatabase.inMemory())
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// - Throws: ``StoreError/outboxUnsupported`` when `outbox` is not empty: embedded mode performs effects in process.
    public func create(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) async throws {
        guard outbox.isEmpty else { throw StoreError.outboxUnsupported }
        try await writer.storeWrite { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM executions WHERE id = ?)", arguments: [execution.id]) ?? false
            guard !exists else { throw StoreError.duplicateExecution(execution.id) }
            if let key = execution.idempotencyKey,
               let existing = try String.fetchOne(
                   db, sql: "SELECT id FROM executions WHERE idempotency_key = ? AND owner IS ?", arguments: [key, execution.owner]) {
                throw StoreError.duplicateIdempotencyKey(existingID: existing)
            }
            try db.execute(
                sql: """
                    INSERT INTO executions (id, workflow_name, definition_source, status, sequence, snapshot, input, output, error,
                                            parent_id, parent_task_id, owner, workflow_id, workflow_version, idempotency_key,
                                            created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    execution.id, execution.workflowName, execution.definitionSource, execution.status.rawValue, execution.sequence,
                    try execution.snapshot.data(), execution.input.encodedString(), execution.output?.encodedString(),
                    execution.error?.encodedString(), execution.parentID, execution.parentTaskID, execution.owner, execution.workflowID,
                    execution.workflowVersion, execution.idempotencyKey, SQLiteDatabase.milliseconds(execution.createdAt),
                    SQLiteDatabase.milliseconds(execution.updatedAt),
                ])
            try Self.insert(transitions, into: db)
        }
    }

    public func unfinishedCount(owner: String, limit: Int) async throws -> Int {
        let unfinished = ExecutionStatus.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ")  // constants, not input
        return try await writer.storeRead { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM (SELECT 1 FROM executions WHERE owner = ? AND status IN (\(unfinished)) LIMIT ?)",
                arguments: [owner, max(0, limit)]) ?? 0
        }
    }

    public func admitChild(_ childID: String, of parentID: String, limit: Int) async throws -> Bool {
        try await writer.storeWrite { db in
            let rootOf = "SELECT root_id FROM execution_tree_members WHERE execution_id = ?"
            guard try String.fetchOne(db, sql: rootOf, arguments: [childID]) == nil else { return true }
            let root = try String.fetchOne(db, sql: rootOf, arguments: [parentID]) ?? parentID
            let children = try Int.fetchOne(db, sql: "SELECT children FROM execution_trees WHERE root_id = ?", arguments: [root]) ?? 0
            guard children < limit else { return false }
            try db.execute(sql: "INSERT INTO execution_tree_members (execution_id, root_id) VALUES (?, ?)", arguments: [childID, root])
            try db.execute(
                sql: "INSERT INTO execution_trees (root_id, children) VALUES (?, 1) ON CONFLICT (root_id) DO UPDATE SET children = children + 1",
                arguments: [root])
            return true
        }
    }

    /// - Throws: ``StoreError/outboxUnsupported`` when `outbox` or `withdrawn` is not empty.
    public nonisolated(nonsending) func commit(_ update: ExecutionUpdate, outbox: [OutboxMessage], withdrawing withdrawn: [String]) async throws -> CommitResult {
        guard outbox.isEmpty, withdrawn.isEmpty else { throw StoreError.outboxUnsupported }
        try update.validate()
        return try await writer.storeWrite { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sequence, fencing_token FROM executions WHERE id = ?", arguments: [update.executionID]) else {
                throw StoreError.executionNotFound(update.executionID)
            }
            let stored: Int = row["sequence"]
            let currentToken: Int64? = row["fencing_token"]
            if let token = update.fencingToken, let currentToken, token < currentToken {
                throw StoreError.staleFencingToken(executionID: update.executionID, token: token, current: currentToken)
            }
            if stored == update.expectedSequence {
                try db.execute(
                    sql: """
                        UPDATE executions SET status = ?, sequence = ?, snapshot = ?, output = ?, error = ?, updated_at = ?,
                                              fencing_token = max(coalesce(fencing_token, ?), coalesce(?, fencing_token))
                        WHERE id = ?
                        """,
                    arguments: [
                        update.status.rawValue, update.newSequence, try update.snapshot.data(), update.output?.encodedString(),
                        update.error?.encodedString(), SQLiteDatabase.milliseconds(update.updatedAt), update.fencingToken, update.fencingToken,
                        update.executionID,
                    ])
                try Self.insert(update.transitions, into: db)
                return .applied
            }
            let lastIsStored = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM transitions WHERE execution_id = ? AND sequence = ?)",
                arguments: [update.executionID, update.newSequence]) ?? false
            if stored >= update.newSequence, lastIsStored {
                return .duplicate
            }
            throw StoreError.conflict(executionID: update.executionID, expected: update.expectedSequence, found: stored)
        }
    }

    public func execution(id: String) async throws -> ExecutionRecord? {
        try await writer.storeRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM executions WHERE id = ?", arguments: [id]).map(Self.execution(from:))
        }
    }

    public func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
        try await writer.storeRead { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transitions WHERE execution_id = ? AND sequence > ? ORDER BY sequence",
                arguments: [executionID, afterSequence]
            ).map(Self.transition(from:))
        }
    }

    public func execution(owner: String?, idempotencyKey: String) async throws -> ExecutionRecord? {
        try await writer.storeRead { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM executions WHERE idempotency_key = ? AND owner IS ?", arguments: [idempotencyKey, owner]
            ).map(Self.execution(from:))
        }
    }

    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        let statuses = query.statuses.map { $0.map(\.rawValue).sorted() }
        let statusList = (statuses ?? []).map { "'\($0)'" }.joined(separator: ", ")  // raw values of an enum: constants, not input
        let executions = try await writer.storeRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM executions
                    WHERE (? OR status IN (\(statusList)))
                      AND (? IS NULL OR owner = ?) AND (? IS NULL OR workflow_id = ?) AND (? IS NULL OR workflow_name = ?)
                      AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?)
                      AND (? IS NULL OR created_at < ? OR (created_at = ? AND id < ?))
                    ORDER BY created_at DESC, id DESC LIMIT ?
                    """,
                arguments: [
                    statuses == nil, query.owner, query.owner, query.workflowID, query.workflowID, query.workflowName, query.workflowName,
                    query.createdAfter.map(SQLiteDatabase.milliseconds), query.createdAfter.map(SQLiteDatabase.milliseconds),
                    query.createdBefore.map(SQLiteDatabase.milliseconds), query.createdBefore.map(SQLiteDatabase.milliseconds),
                    query.cursor?.createdAtMilliseconds, query.cursor?.createdAtMilliseconds, query.cursor?.createdAtMilliseconds,
                    query.cursor?.id, max(0, query.limit),
                ]
            ).map(Self.execution(from:))
        }
        return ExecutionPage(executions: executions, limit: query.limit)
    }
}
