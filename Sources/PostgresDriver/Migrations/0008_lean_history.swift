extension PostgresMigration {
    /// Makes the two history tables, which grow by several rows on every step, cheaper to write.
    ///
    /// - `state_transitions` and `audit_logs` lose their foreign keys to `workflow_executions`.
    ///   Each was a trigger on every inserted row that looked the execution up again and
    ///   key-share-locked it: ~13 % of the server's CPU time in distributed W1
    ///   (`AfterTriggerEndQuery`). The integrity it checked already holds: the commit functions
    ///   (migrations 2, 6 and 7) write history only for an execution row they have just inserted or
    ///   locked `FOR UPDATE` in the same transaction, and nothing deletes executions. Whatever
    ///   deletes executions one day (a retention job) deletes their history with them, explicitly.
    /// - Large columns that no query of the engine filters or joins on get no planner statistics. Autovacuum's
    ///   `ANALYZE` sorted their sampled values (jsonb comparisons, long texts) to build statistics
    ///   that no plan ever uses: ~11 % of the server's CPU time while these tables grow.
    static let leanHistory = PostgresMigration(version: 8, name: "lean_history", sql: #"""
        ALTER TABLE state_transitions DROP CONSTRAINT state_transitions_execution_id_fkey;
        ALTER TABLE audit_logs DROP CONSTRAINT audit_logs_execution_id_fkey;

        ALTER TABLE state_transitions
            ALTER COLUMN context_snapshot SET STATISTICS 0,
            ALTER COLUMN details SET STATISTICS 0,
            ALTER COLUMN ai_decision_reasoning SET STATISTICS 0;
        ALTER TABLE audit_logs
            ALTER COLUMN message SET STATISTICS 0,
            ALTER COLUMN metadata SET STATISTICS 0,
            ALTER COLUMN stack_trace SET STATISTICS 0;
        ALTER TABLE workflow_executions
            ALTER COLUMN definition_source SET STATISTICS 0,
            ALTER COLUMN initial_context SET STATISTICS 0,
            ALTER COLUMN final_context SET STATISTICS 0,
            ALTER COLUMN states_visited SET STATISTICS 0,
            ALTER COLUMN ai_decisions SET STATISTICS 0,
            ALTER COLUMN error SET STATISTICS 0,
            ALTER COLUMN snapshot SET STATISTICS 0;
        ALTER TABLE outbox
            ALTER COLUMN payload SET STATISTICS 0,
            ALTER COLUMN headers SET STATISTICS 0,
            ALTER COLUMN last_error SET STATISTICS 0;
        """#)
}
