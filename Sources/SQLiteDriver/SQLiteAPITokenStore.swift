public import Foundation
import GRDB
public import WorkflowDrivers

/// The ``APITokenStore`` of embedded mode, in one SQLite file (it may be the executions file: one
/// schema, ``SQLiteSchema``, holds every table). Ids are SQLite row ids, as text; dates are
/// integer milliseconds since 1970, like ``SQLiteExecutionStore``'s.
///
/// ```swift
/// let store = try SQLiteAPITokenStore(path: "/var/lib/lazyrabbit/tokens.sqlite")
/// let record = try await store.create(draft)
/// ```
public final class SQLiteAPITokenStore: APITokenStore {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, in WAL mode, and migrates it.
    public convenience init(path: String, configuration: SQLiteExecutionStore.Configuration = .init()) throws {
        self.init(writer: try SQLiteDatabase.open(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteAPITokenStore {
        SQLiteAPITokenStore(writer: try SQLiteDatabase.inMemory())
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func create(_ draft: APITokenDraft) async throws -> APITokenRecord {
        try await writer.storeWrite { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (token_hash, owner, name, role, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [draft.hash, draft.owner, draft.name, draft.role, SQLiteDatabase.milliseconds(draft.createdAt)])
            guard db.changesCount == 1 else { throw StoreError.backend("an API token with this hash exists") }
            return APITokenRecord(id: String(db.lastInsertedRowID), draft)
        }
    }

    public func token(hash: String) async throws -> APITokenRecord? {
        try await writer.storeRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", arguments: [hash])
                .map(Self.record(from:))
        }
    }

    public func list(owner: String?) async throws -> [APITokenRecord] {
        try await writer.storeRead { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_tokens WHERE ? IS NULL OR owner = ? ORDER BY created_at, id", arguments: [owner, owner]
            ).map(Self.record(from:))
        }
    }

    public func revoke(id: String) async throws -> Bool {
        guard let number = Int64(storedID: id) else { return false }
        let now = SQLiteDatabase.milliseconds(Date())
        return try await writer.storeWrite { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, number])
            return db.changesCount == 1
        }
    }

    public func touch(id: String, at date: Date) async throws {
        guard let number = Int64(storedID: id) else { return }
        let milliseconds = SQLiteDatabase.milliseconds(date)
        try await writer.storeWrite { db in
            try db.execute(
                sql: "UPDATE api_tokens SET last_used_at = max(coalesce(last_used_at, ?), ?) WHERE id = ?",
                arguments: [milliseconds, milliseconds, number])
        }
    }

    private static func record(from row: Row) -> APITokenRecord {
        let lastUsed: Int64? = row["last_used_at"]
        let revoked: Int64? = row["revoked_at"]
        return APITokenRecord(
            id: String(row["id"] as Int64), owner: row["owner"], name: row["name"], role: row["role"], hash: row["token_hash"],
            createdAt: SQLiteDatabase.date(milliseconds: row["created_at"]),
            lastUsedAt: lastUsed.map(SQLiteDatabase.date(milliseconds:)),
            revokedAt: revoked.map(SQLiteDatabase.date(milliseconds:)))
    }
}
