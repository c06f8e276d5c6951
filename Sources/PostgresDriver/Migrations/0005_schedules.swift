extension PostgresMigration {
    /// The scheduler's bookkeeping: per stored workflow, the last tick acted on, the tick held back
    /// for `overlap: buffer_one`, and the fencing token of the leader that wrote them (a write with
    /// a smaller token than the stored one is refused, so a deposed leader cannot roll it back).
    static let schedules = PostgresMigration(version: 5, name: "schedules", sql: #"""
        CREATE TABLE workflow_schedules (
            workflow_id      bigint PRIMARY KEY REFERENCES workflows (id) ON DELETE CASCADE,
            last_tick_at     timestamptz NOT NULL,
            buffered_tick_at timestamptz,
            fencing_token    bigint NOT NULL,
            updated_at       timestamptz NOT NULL DEFAULT now()
        );
        """#)
}
