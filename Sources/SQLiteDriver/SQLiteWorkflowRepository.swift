public import Foundation
import GRDB
public import WorkflowDrivers

/// A ``WorkflowRepository`` in SQLite, for `lazyrabbit dev`: it can live in the same file as the
/// ``SQLiteExecutionStore`` (both migrate it with one schema).
///
/// A deleted workflow is only marked deleted: its name is free again and its versions stay for the
/// executions that ran them. Versions are immutable (a trigger refuses updates).
///
/// ```swift
/// let store = try SQLiteExecutionStore(path: path)
/// let workflows = try SQLiteWorkflowRepository(path: path)
/// let first = try await workflows.create(owner: "ada", name: "orders", source: yaml, scheduled: false, at: .now)
/// ```
public final class SQLiteWorkflowRepository: WorkflowRepository {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, in WAL mode, and migrates it.
    public convenience init(path: String, configuration: SQLiteExecutionStore.Configuration = SQLiteExecutionStore.Configuration()) throws {
        self.init(writer: try SQLiteDatabase.open(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteWorkflowRepository {
        SQLiteWorkflowRepository(writer: try SQLiteDatabase.inMemory())
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func create(owner: String, name: String, source: String, scheduled: Bool, at: Date) async throws -> WorkflowVersionRecord {
        let milliseconds = SQLiteDatabase.milliseconds(at)
        return try await writer.storeWrite { db in
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM workflows WHERE owner = ? AND name = ? AND NOT deleted)", arguments: [owner, name]) ?? false
            guard !taken else { throw StoreError.duplicateWorkflow(owner: owner, name: name) }
            try db.execute(
                sql: "INSERT INTO workflows (owner, name, latest_version, scheduled, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)",
                arguments: [owner, name, scheduled, milliseconds, milliseconds])
            let id = db.lastInsertedRowID
            try Self.insertVersion(workflowID: id, version: 1, source: source, by: owner, at: milliseconds, into: db)
            return WorkflowVersionRecord(
                workflowID: String(id), version: 1, source: source, createdBy: owner, createdAt: SQLiteDatabase.date(milliseconds: milliseconds))
        }
    }

    public func addVersion(workflowID: String, source: String, scheduled: Bool, by user: String, at: Date) async throws -> WorkflowVersionRecord? {
        guard let id = Int64(storedID: workflowID) else { return nil }
        let milliseconds = SQLiteDatabase.milliseconds(at)
        return try await writer.storeWrite { db in
            guard let latest = try Int.fetchOne(db, sql: "SELECT latest_version FROM workflows WHERE id = ? AND NOT deleted", arguments: [id]) else {
                return nil
            }
            try db.execute(
                sql: "UPDATE workflows SET latest_version = ?, scheduled = ?, updated_at = ? WHERE id = ?",
                arguments: [latest + 1, scheduled, milliseconds, id])
            try Self.insertVersion(workflowID: id, version: latest + 1, source: source, by: user, at: milliseconds, into: db)
            return WorkflowVersionRecord(
                workflowID: workflowID, version: latest + 1, source: source, createdBy: user, createdAt: SQLiteDatabase.date(milliseconds: milliseconds))
        }
    }

    public func workflow(id: String) async throws -> WorkflowRecord? {
        guard let id = Int64(storedID: id) else { return nil }
        return try await writer.storeRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM workflows WHERE id = ? AND NOT deleted", arguments: [id]).map(Self.workflow(from:))
        }
    }

    public func version(workflowID: String, version: Int?) async throws -> WorkflowVersionRecord? {
        guard let id = Int64(storedID: workflowID) else { return nil }
        return try await writer.storeRead { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM workflow_versions
                    WHERE workflow_id = ? AND version = coalesce(?, (SELECT latest_version FROM workflows WHERE id = ?))
                    """,
                arguments: [id, version, id]
            ).map(Self.version(from:))
        }
    }

    public func workflowCount(owner: String, scheduledOnly: Bool) async throws -> Int {
        try await writer.storeRead { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM workflows WHERE owner = ? AND NOT deleted AND (? = 0 OR scheduled IS NOT 0)",
                arguments: [owner, scheduledOnly]) ?? 0
        }
    }

    public func scheduledWorkflows(limit: Int) async throws -> [WorkflowRecord] {
        try await writer.storeRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM workflows WHERE NOT deleted AND scheduled IS NOT 0
                    ORDER BY scheduled IS NULL, CASE WHEN scheduled IS NULL THEN -id ELSE id END LIMIT ?
                    """,
                arguments: [max(0, limit)]
            ).map(Self.workflow(from:))
        }
    }

    public func recordSchedule(workflowID: String, scheduled: Bool) async throws {
        guard let id = Int64(storedID: workflowID) else { return }
        try await writer.storeWrite { db in
            try db.execute(sql: "UPDATE workflows SET scheduled = ? WHERE id = ? AND scheduled IS NULL", arguments: [scheduled, id])
        }
    }

    public func workflows(owner: String?, before: String?, limit: Int) async throws -> [WorkflowRecord] {
        let bound = before.map { Int64(storedID: $0) ?? 0 } ?? Int64.max
        return try await writer.storeRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM workflows WHERE NOT deleted AND (? IS NULL OR owner = ?) AND id < ?
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [owner, owner, bound, max(0, limit)]
            ).map(Self.workflow(from:))
        }
    }

    public func delete(workflowID: String, at: Date) async throws -> Bool {
        guard let id = Int64(storedID: workflowID) else { return false }
        let milliseconds = SQLiteDatabase.milliseconds(at)
        return try await writer.storeWrite { db in
            try db.execute(sql: "UPDATE workflows SET deleted = 1, updated_at = ? WHERE id = ? AND NOT deleted", arguments: [milliseconds, id])
            return db.changesCount == 1
        }
    }

    // MARK: - Rows

    private static func insertVersion(workflowID: Int64, version: Int, source: String, by user: String, at milliseconds: Int64, into db: Database) throws {
        try db.execute(
            sql: "INSERT INTO workflow_versions (workflow_id, version, source, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [workflowID, version, source, user, milliseconds])
    }

    private static func workflow(from row: Row) -> WorkflowRecord {
        WorkflowRecord(
            id: String(row["id"] as Int64), owner: row["owner"], name: row["name"], latestVersion: row["latest_version"],
            createdAt: SQLiteDatabase.date(milliseconds: row["created_at"]), updatedAt: SQLiteDatabase.date(milliseconds: row["updated_at"]))
    }

    private static func version(from row: Row) -> WorkflowVersionRecord {
        WorkflowVersionRecord(
            workflowID: String(row["workflow_id"] as Int64), version: row["version"], source: row["source"], createdBy: row["created_by"],
            createdAt: SQLiteDatabase.date(milliseconds: row["created_at"]))
    }
}
