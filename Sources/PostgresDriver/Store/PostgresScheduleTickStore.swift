public import Foundation
public import WorkflowDrivers

/// The ``ScheduleTickStore`` of distributed mode: the `workflow_schedules` table (migration 5).
/// A save is one upsert whose `WHERE` compares fencing tokens, so the check and the write are
/// atomic. Run ``PostgresMigrator`` first.
///
/// ```swift
/// let ticks = PostgresScheduleTickStore(pool: pool)
/// let saved = try await ticks.save(ScheduleTickState(lastTick: tick), workflowID: "7", fencingToken: grant.fencingToken)
/// ```
public final class PostgresScheduleTickStore: ScheduleTickStore {
    let pool: PostgresPool

    /// A store over `pool`'s database.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func state(workflowID: String) async throws -> ScheduleTickState? {
        guard let id = Int64(storedID: workflowID) else { return nil }
        let rows = try await storeErrors {
            try await PostgresExecutionStore.retryingLostConnections(pool: pool) {
                try await self.pool.withConnection { connection in
                    try await connection.query(
                        "SELECT last_tick_at, buffered_tick_at FROM workflow_schedules WHERE workflow_id = \(bind: id)")
                }
            }
        }
        return try rows.first.map { row in
            ScheduleTickState(lastTick: try row.decode("last_tick_at"), bufferedTick: try row.decode("buffered_tick_at"))
        }
    }

    public func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool {
        guard let id = Int64(storedID: workflowID) else { return false }
        let rows = try await storeErrors {
            try await pool.withConnection { connection in
                try await connection.query(
                    PostgresQuery(
                        """
                        INSERT INTO workflow_schedules (workflow_id, last_tick_at, buffered_tick_at, fencing_token, updated_at)
                        VALUES (\(bind: id), \(bind: state.lastTick), \(bind: state.bufferedTick), \(bind: fencingToken), now())
                        ON CONFLICT (workflow_id) DO UPDATE
                            SET last_tick_at = EXCLUDED.last_tick_at, buffered_tick_at = EXCLUDED.buffered_tick_at,
                                fencing_token = EXCLUDED.fencing_token, updated_at = now()
                            WHERE workflow_schedules.fencing_token <= EXCLUDED.fencing_token
                        RETURNING workflow_id
                        """
                    ).named("save_schedule_tick"))
            }
        }
        return !rows.isEmpty
    }
}
