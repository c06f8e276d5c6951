extension PostgresMigration {
    /// Lets a step delete outbox rows that earlier steps wrote and it makes moot — above all the
    /// timeout timer of a task that has just finished, which otherwise waited unpublished until it
    /// came due, then cost a relay claim, a delivery to the coordinator (and a load of the
    /// execution) that changed nothing, and a mark.
    ///
    /// `lr_commit_execution` and `lr_commit_executions` gain an overload with one more argument,
    /// the message ids to withdraw (for the set-based one, as parallel arrays: the 1-based position
    /// of the commit each id belongs to, and the ids). Each calls the function of migration 2 or 7
    /// and withdraws only for the commits that applied: a conflicting or duplicate commit changes
    /// nothing, and the step that won may still need the row. The earlier signatures stay, so a
    /// coordinator of an older release keeps working against a migrated database.
    ///
    /// `lr_withdraw_outbox` deletes unpublished rows by execution and message id — a step can only
    /// withdraw rows its own execution wrote — and skips a row a relay has claimed (`SKIP LOCKED`):
    /// that one is being published, and its consumer drops it. Waiting for it instead could
    /// deadlock: the relay hands the coordinator its local messages inside its transaction.
    static let outboxWithdrawal = PostgresMigration(version: 10, name: "outbox_withdrawal", sql: #"""
        CREATE FUNCTION lr_withdraw_outbox(p_execution_ids text[], p_message_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM outbox WHERE id = ANY(ARRAY(
                SELECT o.id FROM outbox o JOIN unnest(p_execution_ids, p_message_ids) AS w(execution_id, message_id)
                    ON o.message_id = w.message_id AND o.execution_id = w.execution_id
                WHERE o.published_at IS NULL
                FOR UPDATE OF o SKIP LOCKED));
        END $$;

        CREATE FUNCTION lr_commit_execution(
            p_execution_id text, p_expected bigint, p_new_sequence bigint, p_status text, p_snapshot bytea,
            p_output jsonb, p_error jsonb, p_updated_at timestamptz, p_fencing_token bigint,
            p_transitions jsonb, p_outbox jsonb, p_current_state text, p_states_visited jsonb, p_started_at timestamptz,
            p_withdrawn text[], OUT outcome text, OUT observed bigint
        ) LANGUAGE plpgsql AS $$
        BEGIN
            SELECT c.outcome, c.observed INTO outcome, observed FROM lr_commit_execution(
                p_execution_id, p_expected, p_new_sequence, p_status, p_snapshot, p_output, p_error, p_updated_at,
                p_fencing_token, p_transitions, p_outbox, p_current_state, p_states_visited, p_started_at) AS c;
            IF outcome = 'applied' AND cardinality(p_withdrawn) > 0 THEN
                PERFORM lr_withdraw_outbox(array_fill(p_execution_id, ARRAY[cardinality(p_withdrawn)]), p_withdrawn);
            END IF;
        END $$;

        CREATE FUNCTION lr_commit_executions(
            p_ids text[], p_expected bigint[], p_new_sequences bigint[], p_statuses text[], p_snapshots bytea[],
            p_outputs jsonb, p_errors jsonb, p_updated_at timestamptz[], p_fencing_tokens bigint[],
            p_transitions jsonb, p_outbox jsonb, p_current_states text[], p_states_visited jsonb, p_started_at timestamptz[],
            p_withdrawn_of integer[], p_withdrawn text[]
        ) RETURNS TABLE (outcome text, observed bigint) LANGUAGE plpgsql AS $$
        DECLARE
            v_outcomes text[];
            v_observed bigint[];
            v_executions text[];
            v_messages text[];
        BEGIN
            SELECT array_agg(c.outcome ORDER BY c.ord), array_agg(c.observed ORDER BY c.ord) INTO v_outcomes, v_observed
            FROM lr_commit_executions(
                p_ids, p_expected, p_new_sequences, p_statuses, p_snapshots, p_outputs, p_errors, p_updated_at,
                p_fencing_tokens, p_transitions, p_outbox, p_current_states, p_states_visited, p_started_at
            ) WITH ORDINALITY AS c(outcome, observed, ord);
            IF cardinality(p_withdrawn) > 0 THEN
                SELECT array_agg(p_ids[w.ord]), array_agg(w.id) INTO v_executions, v_messages
                FROM unnest(p_withdrawn_of, p_withdrawn) AS w(ord, id) WHERE v_outcomes[w.ord] = 'applied';
                IF v_messages IS NOT NULL THEN
                    PERFORM lr_withdraw_outbox(v_executions, v_messages);
                END IF;
            END IF;
            RETURN QUERY SELECT v_outcomes[n], v_observed[n] FROM generate_series(1, cardinality(v_outcomes)) AS n ORDER BY n;
        END $$;
        """#)
}
