extension PostgresMigration {
    /// What the coordinator's API and its durable timers need.
    ///
    /// - `lr_user_id(username)` (migration 3) answers `NULL` for a `NULL` name: executions started
    ///   outside the API have no owner.
    /// - Executions remember the parent task a child answers and the workflow version they run.
    /// - A deleted workflow is archived and frees its name.
    /// - An outbox row may wait: a `lr-not-before` header (ISO 8601) sets its first `next_attempt_at`,
    ///   which is how timers (waits, backoffs, timeouts) become durable rows the relay fires when due.
    static let coordinator = PostgresMigration(version: 4, name: "coordinator", sql: #"""
        -- An execution or workflow may have no owner (runs outside the API): NULL in, NULL out.
        ALTER FUNCTION lr_user_id(text) STRICT;

        ALTER TABLE workflow_executions ADD COLUMN parent_task_id text, ADD COLUMN workflow_version integer;

        DROP INDEX workflows_owner_name;
        CREATE UNIQUE INDEX workflows_owner_name ON workflows (coalesce(owner_id, 0), name) WHERE status <> 'ARCHIVED';
        CREATE INDEX workflows_owner_created ON workflows (owner_id, created_at DESC) WHERE status <> 'ARCHIVED';

        CREATE FUNCTION lr_outbox_not_before() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.headers ? 'lr-not-before' THEN
                NEW.next_attempt_at := (NEW.headers ->> 'lr-not-before')::timestamptz;
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER outbox_not_before BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION lr_outbox_not_before();
        """#)
}
