extension PostgresMigration {
    /// Set-based commits: `lr_commit_executions` applies a whole group commit in one statement with
    /// a fixed number of inner statements (lock, decide, one `UPDATE`, one insert each into
    /// state_transitions, audit_logs and outbox), where `lr_commit_execution` ran five statements
    /// per execution. The per-statement work of the server (executor start-up, plan look-ups) was
    /// most of its CPU time per step.
    ///
    /// Arguments are parallel arrays, one element per commit; the per-commit JSON arguments are
    /// JSON arrays with one element per commit (`p_outputs`/`p_errors` elements are `{"v": value}`,
    /// or `null` for SQL `NULL`). An execution id may appear only once per call (the client sends
    /// later updates of the same execution in a second call of the same transaction). Each commit
    /// gets the answers `lr_commit_execution` gave: `outcome` (`applied`, `duplicate`,
    /// `conflict`, `stale`, `missing`) and `observed`, one row per commit in argument order.
    ///
    /// `lr_record_transition_sets` records transitions of several executions (entries whose id is
    /// `NULL` are skipped). It maps well-known `details` keys onto the HLD's columns exactly as
    /// migration 2's `lr_record_transitions` does, which small commits still use (a test compares
    /// the rows both write): calling the set-based function from it made a lone commit 15 % slower.
    ///
    /// Both are PL/pgSQL, whose statement plans are cached per session (an SQL-language function
    /// with a data-modifying CTE is planned again on every call).
    static let batchCommit = PostgresMigration(version: 7, name: "batch_commit", sql: #"""
        CREATE FUNCTION lr_record_transition_sets(p_ids text[], p_transitions jsonb) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            WITH t AS (
                SELECT i.id AS execution_id, t.*
                FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord),
                     jsonb_to_recordset(p_transitions -> (i.ord::integer - 1)) AS t(
                         sequence bigint, thread text, from_state text, to_state text, kind text, at timestamptz, details jsonb)
                WHERE i.id IS NOT NULL
            ), stored AS (
                INSERT INTO state_transitions (
                    execution_id, sequence, thread, from_state, to_state, transition_type, context_snapshot,
                    condition_evaluated, condition_result, ai_decision_used, ai_decision_reasoning, ai_confidence_score,
                    duration_ms, details, created_at)
                SELECT execution_id, sequence, thread, from_state, to_state, kind,
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
            SELECT execution_id, at, CASE WHEN kind LIKE '%failed%' THEN 'ERROR' ELSE 'INFO' END, to_state, kind,
                kind || ': ' || coalesce(from_state, '-') || ' -> ' || coalesce(to_state, '-'),
                jsonb_build_object('sequence', sequence, 'thread', thread, 'details', details)
            FROM t;
        END $$;

        CREATE FUNCTION lr_commit_executions(
            p_ids text[], p_expected bigint[], p_new_sequences bigint[], p_statuses text[], p_snapshots bytea[],
            p_outputs jsonb, p_errors jsonb, p_updated_at timestamptz[], p_fencing_tokens bigint[],
            p_transitions jsonb, p_outbox jsonb, p_current_states text[], p_states_visited jsonb, p_started_at timestamptz[]
        ) RETURNS TABLE (outcome text, observed bigint) LANGUAGE plpgsql AS $$
        DECLARE
            v_count integer := coalesce(array_length(p_ids, 1), 0);
            v_outcomes text[] := array_fill('missing'::text, ARRAY[v_count]);
            v_observed bigint[] := array_fill(NULL::bigint, ARRAY[v_count]);
            v_applied text[] := array_fill(NULL::text, ARRAY[v_count]);  -- the ids of applied commits, NULL elsewhere
            r record;
        BEGIN
            -- Rows are locked in id order, byte by byte whatever the database's collation: the order
            -- in which the client sends smaller batches' single commits, so no two batches deadlock.
            PERFORM 1 FROM workflow_executions e WHERE e.id = ANY(p_ids) ORDER BY e.id COLLATE "C" FOR UPDATE;
            FOR r IN
                SELECT i.ord::integer AS ord, e.sequence, e.fencing_token
                FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord) JOIN workflow_executions e ON e.id = i.id
            LOOP
                IF p_fencing_tokens[r.ord] < r.fencing_token THEN
                    v_outcomes[r.ord] := 'stale';
                    v_observed[r.ord] := r.fencing_token;
                ELSIF r.sequence <> p_expected[r.ord] THEN
                    v_observed[r.ord] := r.sequence;
                    v_outcomes[r.ord] := CASE WHEN r.sequence >= p_new_sequences[r.ord] AND EXISTS (
                        SELECT 1 FROM state_transitions s WHERE s.execution_id = p_ids[r.ord] AND s.sequence = p_new_sequences[r.ord])
                        THEN 'duplicate' ELSE 'conflict' END;
                ELSE
                    v_outcomes[r.ord] := 'applied';
                    v_observed[r.ord] := p_new_sequences[r.ord];
                    v_applied[r.ord] := p_ids[r.ord];
                END IF;
            END LOOP;

            UPDATE workflow_executions e SET
                status = c.status, sequence = c.new_sequence, snapshot = c.snapshot,
                final_context = p_outputs -> (c.ord::integer - 1) -> 'v', error = p_errors -> (c.ord::integer - 1) -> 'v',
                updated_at = c.updated_at, fencing_token = greatest(e.fencing_token, c.fencing_token),
                current_state = coalesce(c.current_state, e.current_state),
                states_visited = e.states_visited || (p_states_visited -> (c.ord::integer - 1)),
                started_at = coalesce(e.started_at, c.started_at),
                completed_at = CASE WHEN c.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
                    THEN coalesce(e.completed_at, c.updated_at) END,
                duration_ms = CASE WHEN c.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
                    THEN (extract(epoch FROM c.updated_at - e.created_at) * 1000)::bigint END
            FROM unnest(v_applied, p_new_sequences, p_statuses, p_snapshots, p_updated_at, p_fencing_tokens, p_current_states, p_started_at)
                WITH ORDINALITY AS c(id, new_sequence, status, snapshot, updated_at, fencing_token, current_state, started_at, ord)
            WHERE e.id = c.id;

            PERFORM lr_record_transition_sets(v_applied, p_transitions);

            INSERT INTO outbox (message_id, topic, routing_key, payload, headers, execution_id)
                SELECT m.message_id, m.topic, m.routing_key, decode(m.payload, 'base64'), coalesce(m.headers, '{}'), i.id
                FROM unnest(v_applied) WITH ORDINALITY AS i(id, ord),
                     jsonb_to_recordset(p_outbox -> (i.ord::integer - 1)) AS m(
                         message_id text, topic text, routing_key text, payload text, headers jsonb)
                WHERE i.id IS NOT NULL
            ON CONFLICT (message_id) DO NOTHING;

            RETURN QUERY SELECT v_outcomes[n], v_observed[n] FROM generate_series(1, v_count) AS n ORDER BY n;
        END $$;
        """#)
}
