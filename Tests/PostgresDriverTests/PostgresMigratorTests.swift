import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct PostgresMigratorTests {
        static let tables = [
            "users", "workflows", "workflow_versions", "workflow_states", "workflow_executions", "state_transitions", "audit_logs",
            "recovery_actions", "outbox", "llm_usage", "api_tokens",
        ]

        @Test func migratingTwiceAppliesOnce() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                #expect(try await PostgresMigrator.appliedVersions(pool).isEmpty)
                #expect(try await PostgresMigrator.migrate(pool) == PostgresMigration.all.map(\.version))
                #expect(try await PostgresMigrator.migrate(pool).isEmpty)
                #expect(try await PostgresMigrator.appliedVersions(pool) == PostgresMigration.all.map(\.version))
                for table in Self.tables {
                    #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM pg_tables WHERE tablename = \(bind: table)") == 1, "\(table)")
                }
            }
        }

        @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
            try await TestDatabase.with(migrate: false) { pool throws in
                let configuration = pool.configuration
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<3 { group.addTask { try await PostgresMigrator.migrate(PostgresPool(configuration: configuration)) } }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(applied.sorted() == PostgresMigration.all.map(\.version))
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM schema_migrations") == PostgresMigration.all.count)
            }
        }

        @Test func workflowVersionsAreImmutable() async throws {
            try await TestDatabase.with { pool throws in
                try await pool.withConnection { connection in
                    try await connection.execute("INSERT INTO workflows (name, dsl) VALUES (\(bind: "orders"), \(bind: "name: orders"))")
                    try await connection.execute(
                        """
                        INSERT INTO workflow_versions (workflow_id, version, definition_source, parsed_definition)
                        SELECT id, 1, dsl, '{}' FROM workflows
                        """)
                    await #expect(throws: PostgresError.self) {
                        try await connection.execute("UPDATE workflow_versions SET definition_source = \(bind: "changed")")
                    }
                    await #expect(throws: PostgresError.self) {
                        try await connection.execute(
                            "INSERT INTO workflow_versions (workflow_id, version, definition_source, parsed_definition) SELECT id, 1, dsl, '{}' FROM workflows")
                    }
                }
            }
        }
    }
}
