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
    public convenience init(path: String, configuration: Configuration = Configuration()) throws {
        try self.init(writer: SQLiteFile.open(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests: same schema and rules, gone when the store is released.
    public static func inMemory() throws -> SQLiteExecutionStore {
        try SQLiteExecutionStore(writer: SQLiteFile.inMemory())
    }

    private init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try SQLiteFile.storeErrors { try Self.migrator.migrate(writer) }
    }

    public func create(_ execution: ExecutionRecord, transitions: [TransitionRecord]) async throws {
        try await write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM executions WHERE id = ?)", arguments: [execution.id]) ?? false
            guard !exists else { throw StoreError.duplicateExecution(execution.id) }
            try db.execute(
                sql: """
                    INSERT INTO executions (id, workflow_name, definition_source, status, sequence, snapshot, input, output, error,
                                            parent_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    execution.id, execution.workflowName, execution.definitionSource, execution.status.rawValue, execution.sequence,
                    execution.snapshot, execution.input.encodedString(), execution.output?.encodedString(),
                    execution.error?.encodedString(), execution.parentID, Self.milliseconds(execution.createdAt),
                    Self.milliseconds(execution.updatedAt),
                ])
            try Self.insert(transitions, into: db)
        }
    }

    public func commit(_ update: ExecutionUpdate) async throws -> CommitResult {
        try update.validate()
        return try await write { db in
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
                        update.status.rawValue, update.newSequence, update.snapshot, update.output?.encodedString(),
                        update.error?.encodedString(), Self.milliseconds(update.updatedAt), update.fencingToken, update.fencingToken,
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
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM executions WHERE id = ?", arguments: [id]).map(Self.execution(from:))
        }
    }

    public func transitions(executionID: String, afterSequence: Int) async throws -> [TransitionRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transitions WHERE execution_id = ? AND sequence > ? ORDER BY sequence",
                arguments: [executionID, afterSequence]
            ).map(Self.transition(from:))
        }
    }

    public func executions(statuses: Set<ExecutionStatus>?, limit: Int) async throws -> [ExecutionRecord] {
        try await read { db in
            let rows: [Row]
            if let statuses {
                let names = statuses.map(\.rawValue).sorted()
                let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM executions WHERE status IN (\(placeholders)) ORDER BY created_at DESC, id DESC LIMIT ?",
                    arguments: StatementArguments(names) + [max(0, limit)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM executions ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [max(0, limit)])
            }
            return try rows.map(Self.execution(from:))
        }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await SQLiteFile.write(writer, body)
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await SQLiteFile.read(writer, body)
    }
}
