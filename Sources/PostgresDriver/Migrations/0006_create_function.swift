extension PostgresMigration {
    /// `lr_create_execution` inserts a new execution with its first transitions (and their audit
    /// rows) and outbox messages in one statement and one round trip, instead of a transaction of
    /// four statements; it answers `false`, writing nothing else, when the row exists already (same
    /// id, or the owner's idempotency key taken).
    static let createFunction = PostgresMigration(version: 6, name: "create_function", sql: #"""
        CREATE FUNCTION lr_create_execution(
            p_id text, p_workflow_name text, p_definition_source text, p_status text, p_sequence bigint, p_snapshot bytea,
            p_initial_context jsonb, p_final_context jsonb, p_error jsonb, p_parent_execution_id text, p_parent_task_id text,
            p_owner text, p_workflow_id bigint, p_workflow_version integer, p_idempotency_key text,
            p_created_at timestamptz, p_updated_at timestamptz, p_transitions jsonb, p_outbox jsonb
        ) RETURNS boolean LANGUAGE plpgsql AS $$
        DECLARE
            v_inserted integer;
        BEGIN
            INSERT INTO workflow_executions (
                id, workflow_name, definition_source, status, sequence, snapshot, initial_context, final_context, error,
                parent_execution_id, parent_task_id, owner_id, workflow_id, workflow_version, idempotency_key, created_at, updated_at)
            VALUES (p_id, p_workflow_name, p_definition_source, p_status, p_sequence, p_snapshot, p_initial_context,
                    p_final_context, p_error, p_parent_execution_id, p_parent_task_id, lr_user_id(p_owner), p_workflow_id,
                    p_workflow_version, p_idempotency_key, p_created_at, p_updated_at)
            ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS v_inserted = ROW_COUNT;
            IF v_inserted = 0 THEN
                RETURN false;
            END IF;
            IF jsonb_array_length(p_transitions) > 0 THEN
                PERFORM lr_record_transitions(p_id, p_transitions);
            END IF;
            IF jsonb_array_length(p_outbox) > 0 THEN
                INSERT INTO outbox (message_id, topic, routing_key, payload, headers, execution_id)
                    SELECT m.message_id, m.topic, m.routing_key, decode(m.payload, 'base64'), coalesce(m.headers, '{}'), p_id
                    FROM jsonb_to_recordset(p_outbox) AS m(message_id text, topic text, routing_key text, payload text, headers jsonb)
                ON CONFLICT (message_id) DO NOTHING;
            END IF;
            RETURN true;
        END $$;
        """#)
}
