extension PostgresMigration {
    /// Server-side functions that apply one step of an execution in one statement, so that a
    /// commit costs one round trip and a batch of commits can be pipelined.
    ///
    /// `lr_record_transitions` stores transitions (mapping well-known `details` keys onto the
    /// HLD's columns) and one audit_logs row each. `lr_commit_execution` locks the execution row,
    /// checks the fencing token and the sequence, and on success updates the row, records the
    /// transitions and queues the outbox messages (the client derives `current_state`, the visited
    /// states and `started_at` from the transitions, which keeps JSON work off the server); its `outcome` is `applied`, `duplicate`,
    /// `conflict`, `stale` or `missing`, and `observed` the stored sequence (or token, if stale).
    static let commitFunction = PostgresMigration(version: 2, name: "commit_function", sql: #"""
        CREATE FUNCTION lr_record_transitions(p_execution_id text, p_transitions jsonb) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            WITH t AS (
                SELECT * FROM jsonb_to_recordset(p_transitions) AS t(
                    sequence bigint, thread text, from_state text, to_state text, kind text, at timestamptz, details jsonb)
            ), stored AS (
                INSERT INTO state_transitions (
                    execution_id, sequence, thread, from_state, to_state, transition_type, context_snapshot,
                    condition_evaluated, condition_result, ai_decision_used, ai_decision_reasoning, ai_confidence_score,
                    duration_ms, details, created_at)
                SELECT p_execution_id, sequence, thread, from_state, to_state, kind,
                    CASE WHEN jsonb_typeof(details -> 'context') = 'object' THEN details -> 'context' END,
                    CASE WHEN jsonb_typeof(details -> 'condition') = 'string' THEN details ->> 'condition' END,
                    CASE WHEN jsonb_typeof(details -> 'condition') = 'string' THEN true END,
                    coalesce(jsonb_typeof(details -> 'ai_decision') = 'object', false),
                    details -> 'ai_decision' ->> 'reasoning',
                    CASE WHEN jsonb_typeof(details -> 'ai_decision' -> 'confidence') = 'number'
                        THEN round((details -> 'ai_decision' ->> 'confidence')::numeric * 100)::integer END,
                    CASE WHEN jsonb_typeof(details -> 'duration_ms') = 'number' THEN round((details ->> 'duration_ms')::numeric)::bigint END,
                    details, at
                FROM t
            )
            INSERT INTO audit_logs (execution_id, created_at, level, state, event_type, message, metadata)
            SELECT p_execution_id, at, CASE WHEN kind LIKE '%failed%' THEN 'ERROR' ELSE 'INFO' END, to_state, kind,
                kind || ': ' || coalesce(from_state, '-') || ' -> ' || coalesce(to_state, '-'),
                jsonb_build_object('sequence', sequence, 'thread', thread, 'details', details)
            FROM t;
        END $$;

        CREATE FUNCTION lr_commit_execution(
            p_execution_id text, p_expected bigint, p_new_sequence bigint, p_status text, p_snapshot bytea,
            p_output jsonb, p_error jsonb, p_updated_at timestamptz, p_fencing_token bigint,
            p_transitions jsonb, p_outbox jsonb, p_current_state text, p_states_visited jsonb, p_started_at timestamptz,
            OUT outcome text, OUT observed bigint
        ) LANGUAGE plpgsql AS $$
        DECLARE
            v_sequence bigint;
            v_token bigint;
            v_terminal boolean := p_status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT');
        BEGIN
            SELECT e.sequence, e.fencing_token INTO v_sequence, v_token
                FROM workflow_executions e WHERE e.id = p_execution_id FOR UPDATE;
            IF NOT FOUND THEN
                outcome := 'missing';
                RETURN;
            END IF;
            IF p_fencing_token < v_token THEN
                outcome := 'stale';
                observed := v_token;
                RETURN;
            END IF;
            IF v_sequence <> p_expected THEN
                observed := v_sequence;
                outcome := CASE WHEN v_sequence >= p_new_sequence AND EXISTS (
                    SELECT 1 FROM state_transitions s WHERE s.execution_id = p_execution_id AND s.sequence = p_new_sequence)
                    THEN 'duplicate' ELSE 'conflict' END;
                RETURN;
            END IF;
            UPDATE workflow_executions e SET
                status = p_status, sequence = p_new_sequence, snapshot = p_snapshot, final_context = p_output,
                error = p_error, updated_at = p_updated_at, fencing_token = greatest(e.fencing_token, p_fencing_token),
                current_state = coalesce(p_current_state, e.current_state), states_visited = e.states_visited || p_states_visited,
                started_at = coalesce(e.started_at, p_started_at),
                completed_at = CASE WHEN v_terminal THEN coalesce(e.completed_at, p_updated_at) END,
                duration_ms = CASE WHEN v_terminal THEN (extract(epoch FROM p_updated_at - e.created_at) * 1000)::bigint END
            WHERE e.id = p_execution_id;
            PERFORM lr_record_transitions(p_execution_id, p_transitions);
            IF jsonb_array_length(p_outbox) > 0 THEN
                INSERT INTO outbox (message_id, topic, routing_key, payload, headers, execution_id)
                    SELECT m.message_id, m.topic, m.routing_key, decode(m.payload, 'base64'), coalesce(m.headers, '{}'), p_execution_id
                    FROM jsonb_to_recordset(p_outbox) AS m(message_id text, topic text, routing_key text, payload text, headers jsonb)
                ON CONFLICT (message_id) DO NOTHING;
            END IF;
            outcome := 'applied';
            observed := p_new_sequence;
        END $$;
        """#)
}
