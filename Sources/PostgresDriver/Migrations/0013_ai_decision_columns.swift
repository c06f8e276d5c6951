extension PostgresMigration {
    /// Fills `state_transitions.ai_decision_used`, `ai_decision_reasoning` and `ai_confidence_score`
    /// for the engine's `ai_decided` transitions (an `ai:` rule's answer: `explanation` and
    /// `confidence` 0–100 in `details`), which migrations 2 and 7 only read from a `details`
    /// object `ai_decision` (`reasoning`, `confidence` 0–1) no transition carries. The mapping is
    /// three inlinable SQL functions the two recording functions share; `lr_record_transitions`
    /// and `lr_record_transition_sets` are otherwise unchanged.
    static let aiDecisionColumns = PostgresMigration(version: 13, name: "ai_decision_columns", sql: #"""
        CREATE FUNCTION lr_ai_used(p_kind text, p_details jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
            SELECT (p_kind = 'ai_decided' AND p_details ? 'answer') OR coalesce(jsonb_typeof(p_details -> 'ai_decision') = 'object', false)
        $$;
        CREATE FUNCTION lr_ai_reasoning(p_kind text, p_details jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN p_kind = 'ai_decided' THEN p_details ->> 'explanation' ELSE p_details -> 'ai_decision' ->> 'reasoning' END
        $$;
        CREATE FUNCTION lr_ai_confidence(p_kind text, p_details jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN p_kind = 'ai_decided' THEN
                    CASE WHEN jsonb_typeof(p_details -> 'confidence') = 'number' THEN round((p_details ->> 'confidence')::numeric)::integer END
                WHEN jsonb_typeof(p_details -> 'ai_decision' -> 'confidence') = 'number' THEN
                    round((p_details -> 'ai_decision' ->> 'confidence')::numeric * 100)::integer
            END
        $$;

        CREATE OR REPLACE FUNCTION lr_record_transitions(p_execution_id text, p_transitions jsonb) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            WITH t AS (
                SELECT * FROM jsonb_to_recordset(p_transitions) AS t(
                    sequence bigint, thread text, from_state text, to_state text, kind text, at timestamptz, details jsonb)
            ), \#(recordingStatements(executionID: "p_execution_id"))
        END $$;

        CREATE OR REPLACE FUNCTION lr_record_transition_sets(p_ids text[], p_transitions jsonb) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            WITH t AS (
                SELECT i.id AS execution_id, t.*
                FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord),
                     jsonb_to_recordset(p_transitions -> (i.ord::integer - 1)) AS t(
                         sequence bigint, thread text, from_state text, to_state text, kind text, at timestamptz, details jsonb)
                WHERE i.id IS NOT NULL
            ), \#(recordingStatements(executionID: "execution_id"))
        END $$;
        """#)

    /// The rest of both recording functions after their `t` (the transitions): the
    /// state_transitions rows, HLD columns filled from well-known `details` keys, then one audit
    /// row each; `executionID` names the execution id in `t`'s scope.
    private static func recordingStatements(executionID: String) -> String {
        #"""
        stored AS (
                INSERT INTO state_transitions (
                    execution_id, sequence, thread, from_state, to_state, transition_type, context_snapshot,
                    condition_evaluated, condition_result, ai_decision_used, ai_decision_reasoning, ai_confidence_score,
                    duration_ms, details, created_at)
                SELECT \#(executionID), sequence, thread, from_state, to_state, kind,
                    CASE WHEN jsonb_typeof(details -> 'context') = 'object' THEN details -> 'context' END,
                    CASE WHEN jsonb_typeof(details -> 'condition') = 'string' THEN details ->> 'condition' END,
                    CASE WHEN jsonb_typeof(details -> 'condition') = 'string' THEN true END,
                    lr_ai_used(kind, details), lr_ai_reasoning(kind, details), lr_ai_confidence(kind, details),
                    CASE WHEN jsonb_typeof(details -> 'duration_ms') = 'number' THEN round((details ->> 'duration_ms')::numeric)::bigint END,
                    details, at
                FROM t
            )
            INSERT INTO audit_logs (execution_id, created_at, level, state, event_type, message, metadata)
            SELECT \#(executionID), at, CASE WHEN kind LIKE '%failed%' THEN 'ERROR' ELSE 'INFO' END, to_state, kind,
                kind || ': ' || coalesce(from_state, '-') || ' -> ' || coalesce(to_state, '-'),
                jsonb_build_object('sequence', sequence, 'thread', thread, 'details', details)
            FROM t;
        """#
    }
}
