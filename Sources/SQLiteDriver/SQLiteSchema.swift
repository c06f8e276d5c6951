import GRDB

/// The schema of the embedded database: executions and the workflow registry share one file, so
/// ``SQLiteExecutionStore`` and ``SQLiteWorkflowRepository`` both migrate it with this one migrator.
enum SQLiteSchema {
    /// The schema, as an ordered list of migrations. Never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: executions and transitions") { db in
            try db.create(table: "executions") { table in
                table.primaryKey("id", .text)
                table.column("workflow_name", .text).notNull()
                table.column("definition_source", .text).notNull()
                table.column("status", .text).notNull()
                table.column("sequence", .integer).notNull()
                table.column("snapshot", .blob).notNull()
                table.column("input", .text).notNull()
                table.column("output", .text)
                table.column("error", .text)
                table.column("parent_id", .text)
                table.column("created_at", .integer).notNull()
                table.column("updated_at", .integer).notNull()
            }
            try db.create(index: "executions_status_created_at", on: "executions", columns: ["status", "created_at"])
            try db.create(index: "executions_created_at", on: "executions", columns: ["created_at"])
            try db.create(table: "transitions") { table in
                table.column("execution_id", .text).notNull().references("executions", onDelete: .cascade)
                table.column("sequence", .integer).notNull()
                table.column("thread", .text).notNull()
                table.column("from_state", .text)
                table.column("to_state", .text)
                table.column("kind", .text).notNull()
                table.column("at", .integer).notNull()
                table.column("details", .text).notNull()
                table.primaryKey(["execution_id", "sequence"])
            }
        }
        migrator.registerMigration("v2: fencing token") { db in
            try db.alter(table: "executions") { table in
                table.add(column: "fencing_token", .integer)
            }
        }
        migrator.registerMigration("v3: owners, workflow versions, idempotency keys, parent tasks") { db in
            try db.alter(table: "executions") { table in
                table.add(column: "parent_task_id", .text)
                table.add(column: "owner", .text)
                table.add(column: "workflow_id", .text)
                table.add(column: "workflow_version", .integer)
                table.add(column: "idempotency_key", .text)
            }
            try db.create(index: "executions_owner_idempotency", on: "executions", columns: ["owner", "idempotency_key"], unique: true)
        }
        migrator.registerMigration("v4: workflows and their versions") { db in
            try db.create(table: "workflows") { table in
                table.autoIncrementedPrimaryKey("id")  // AUTOINCREMENT: a deleted workflow's id is never reused
                table.column("owner", .text).notNull()
                table.column("name", .text).notNull()
                table.column("latest_version", .integer).notNull()
                table.column("deleted", .boolean).notNull().defaults(to: false)
                table.column("created_at", .integer).notNull()
                table.column("updated_at", .integer).notNull()
            }
            try db.create(index: "workflows_owner_name", on: "workflows", columns: ["owner", "name"], unique: true, condition: Column("deleted") == false)
            try db.create(index: "workflows_owner_created_at", on: "workflows", columns: ["owner", "created_at"])
            try db.create(table: "workflow_versions") { table in
                table.column("workflow_id", .integer).notNull().references("workflows")
                table.column("version", .integer).notNull()
                table.column("source", .text).notNull()
                table.column("created_by", .text).notNull()
                table.column("created_at", .integer).notNull()
                table.primaryKey(["workflow_id", "version"])
            }
            try db.execute(sql: """
                CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE ON workflow_versions
                BEGIN SELECT RAISE(ABORT, 'workflow_versions rows are immutable'); END
                """)
        }
        migrator.registerMigration("v5: api tokens") { db in
            try db.create(table: "api_tokens") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("token_hash", .text).notNull().unique()
                table.column("owner", .text).notNull().indexed()
                table.column("name", .text).notNull()
                table.column("role", .text).notNull()
                table.column("created_at", .integer).notNull()
                table.column("last_used_at", .integer)
                table.column("revoked_at", .integer)
            }
        }
        migrator.registerMigration("v6: schedules") { db in
            // The scheduler's bookkeeping (``SQLiteScheduleTickStore``): last tick, buffered tick, fencing token.
            try db.create(table: "workflow_schedules") { table in
                table.primaryKey("workflow_id", .text)
                table.column("last_tick_at", .integer).notNull()
                table.column("buffered_tick_at", .integer)
                table.column("fencing_token", .integer).notNull()
            }
        }
        migrator.registerMigration("v7: child workflow trees") { db in
            // ``SQLiteExecutionStore/admitChild(_:of:limit:)``: each admitted child's root, and each root's count.
            try db.create(table: "execution_tree_members") { table in
                table.primaryKey("execution_id", .text)
                table.column("root_id", .text).notNull()
            }
            try db.create(table: "execution_trees") { table in
                table.primaryKey("root_id", .text)
                table.column("children", .integer).notNull()
            }
        }
        migrator.registerMigration("v8: workflows record whether their latest version declares a schedule") { db in
            // NULL for workflows stored before: the scheduler parses those and records it.
            try db.alter(table: "workflows") { table in
                table.add(column: "scheduled", .boolean)
            }
        }
        migrator.registerMigration("v9: child executions take their parent's owner") { db in
            // Before 2026-12-05 `lazyrabbit dev` stored child executions without an owner, so a
            // child's own `workflow:` children were looked up for nobody and failed
            // `workflow_not_found`. Each round gives one more level its parent's owner; top-level
            // runs without an owner (`lazyrabbit run`) stay as they are.
            repeat {
                try db.execute(sql: """
                    UPDATE executions SET owner = (SELECT parent.owner FROM executions AS parent WHERE parent.id = executions.parent_id)
                    WHERE owner IS NULL AND parent_id IS NOT NULL
                      AND (SELECT parent.owner FROM executions AS parent WHERE parent.id = executions.parent_id) IS NOT NULL
                    """)
            } while db.changesCount > 0
        }
        return migrator
    }
}
