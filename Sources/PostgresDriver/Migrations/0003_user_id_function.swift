extension PostgresMigration {
    /// `lr_user_id(username text) RETURNS bigint`: the id of the `users` row named `username`,
    /// inserted (role `user`) if there is none. Every table whose owner is a user name at the API
    /// (api_tokens, workflows, workflow_executions) stores the id this returns. Concurrent calls for
    /// a new name insert one row: the loser of the insert race reads the winner's row.
    static let userIDFunction = PostgresMigration(version: 3, name: "user_id_function", sql: #"""
        CREATE FUNCTION lr_user_id(username text) RETURNS bigint LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
            v_id bigint;
        BEGIN
            SELECT u.id INTO v_id FROM users u WHERE u.username = lr_user_id.username;
            IF FOUND THEN
                RETURN v_id;
            END IF;
            INSERT INTO users (username) VALUES (lr_user_id.username) ON CONFLICT (username) DO NOTHING RETURNING id INTO v_id;
            IF v_id IS NULL THEN
                SELECT u.id INTO v_id FROM users u WHERE u.username = lr_user_id.username;
            END IF;
            RETURN v_id;
        END $$;
        """#)
}
