public import Foundation
import GRDB
public import WorkflowDrivers

/// A ``ScheduleTickStore`` in SQLite, for `lazyrabbit dev`: the `workflow_schedules` table of the
/// shared schema, so a restart catches up on the ticks it slept through.
///
/// ```swift
/// let ticks = try SQLiteScheduleTickStore(path: ".lazyrabbit/dev.sqlite")
/// ```
public final class SQLiteScheduleTickStore: ScheduleTickStore {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, in WAL mode, and migrates it.
    public convenience init(path: String, configuration: SQLiteExecutionStore.Configuration = SQLiteExecutionStore.Configuration()) throws {
        self.init(writer: try SQLiteDatabase.open(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteScheduleTickStore {
        SQLiteScheduleTickStore(writer: try SQLiteDatabase.inMemory())
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func state(workflowID: String) async throws -> ScheduleTickState? {
        try await writer.storeRead { db in
            try Row.fetchOne(
                db, sql: "SELECT last_tick_at, buffered_tick_at FROM workflow_schedules WHERE workflow_id = ?", arguments: [workflowID]
            ).map { row in
                ScheduleTickState(
                    lastTick: SQLiteDatabase.date(milliseconds: row["last_tick_at"]),
                    bufferedTick: (row["buffered_tick_at"] as Int64?).map { SQLiteDatabase.date(milliseconds: $0) })
            }
        }
    }

    public func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool {
        let last = SQLiteDatabase.milliseconds(state.lastTick)
        let buffered = state.bufferedTick.map(SQLiteDatabase.milliseconds)
        return try await writer.storeWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO workflow_schedules (workflow_id, last_tick_at, buffered_tick_at, fencing_token) VALUES (?, ?, ?, ?)
                    ON CONFLICT (workflow_id) DO UPDATE
                        SET last_tick_at = excluded.last_tick_at, buffered_tick_at = excluded.buffered_tick_at,
                            fencing_token = excluded.fencing_token
                        WHERE workflow_schedules.fencing_token <= excluded.fencing_token
                    """,
                arguments: [workflowID, last, buffered, fencingToken])
            return db.changesCount > 0
        }
    }
}
