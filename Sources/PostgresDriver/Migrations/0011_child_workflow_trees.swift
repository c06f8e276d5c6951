extension PostgresMigration {
    /// Bounds the executions one root can start through children of children
    /// (``PostgresExecutionStore/admitChild(_:of:limit:)``): `execution_tree_members` records each
    /// admitted child's root, `execution_trees` how many children each root has.
    ///
    /// `lr_admit_child` admits a child in one statement: a child admitted before is admitted again
    /// without counting (the member row's key makes two concurrent admissions of one child count
    /// once); otherwise the root's count goes up unless it is at the limit, and a refused child
    /// leaves no member row.
    static let childWorkflowTrees = PostgresMigration(version: 11, name: "child_workflow_trees", sql: #"""
        CREATE TABLE execution_tree_members (
            execution_id text PRIMARY KEY,
            root_id text NOT NULL
        );
        CREATE TABLE execution_trees (
            root_id text PRIMARY KEY,
            children integer NOT NULL
        );

        CREATE FUNCTION lr_admit_child(p_child text, p_parent text, p_limit integer) RETURNS boolean LANGUAGE plpgsql AS $$
        DECLARE
            v_root text;
        BEGIN
            SELECT root_id INTO v_root FROM execution_tree_members WHERE execution_id = p_parent;
            v_root := coalesce(v_root, p_parent);
            INSERT INTO execution_tree_members (execution_id, root_id) VALUES (p_child, v_root) ON CONFLICT DO NOTHING;
            IF NOT FOUND THEN
                RETURN true;
            END IF;
            INSERT INTO execution_trees AS t (root_id, children) SELECT v_root, 1 WHERE p_limit >= 1
                ON CONFLICT (root_id) DO UPDATE SET children = t.children + 1 WHERE t.children < p_limit;
            IF FOUND THEN
                RETURN true;
            END IF;
            DELETE FROM execution_tree_members WHERE execution_id = p_child;
            RETURN false;
        END $$;
        """#)
}
