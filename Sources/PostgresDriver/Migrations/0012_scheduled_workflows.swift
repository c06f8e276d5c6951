extension PostgresMigration {
    /// Lets the scheduler read only the workflows whose latest version declares a schedule
    /// (``PostgresWorkflowRepository/scheduledWorkflows(limit:)``): `workflows.scheduled` is set
    /// with every version; NULL for workflows stored before, which the scheduler parses and then
    /// records. Also an index for listing one owner's workflows newest first by id, page by page,
    /// and one for finding the members of a tree of child workflows by its root (the purge).
    static let scheduledWorkflows = PostgresMigration(version: 12, name: "scheduled_workflows", sql: #"""
        ALTER TABLE workflows ADD COLUMN scheduled boolean;
        CREATE INDEX workflows_scheduled ON workflows (id) WHERE scheduled IS NOT FALSE AND status <> 'ARCHIVED';
        CREATE INDEX workflows_owner_id ON workflows (owner_id, id DESC) WHERE status <> 'ARCHIVED';
        CREATE INDEX execution_tree_members_root ON execution_tree_members (root_id);
        """#)
}
