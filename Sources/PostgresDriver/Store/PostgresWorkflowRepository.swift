public import Foundation
public import WorkflowDrivers

/// The ``WorkflowRepository`` of distributed mode, over the `workflows` and `workflow_versions`
/// tables (migrations 1 and 3; run ``PostgresMigrator`` first).
///
/// Owners are usernames here and `users` rows there (`lr_user_id` creates one on first sight); ids
/// are the `bigserial` ids rendered as strings. `workflows.dsl` holds the latest source; each version
/// is an immutable `workflow_versions` row. A deleted workflow is `ARCHIVED`: it frees its name
/// (the unique index skips archived rows) and keeps its versions.
///
/// ```swift
/// let workflows = PostgresWorkflowRepository(pool: pool)
/// let first = try await workflows.create(owner: "ada", name: "orders", source: yaml, scheduled: false, at: .now)
/// let store = PostgresExecutionStore(pool: pool)   // executions may reference first.workflowID
/// ```
public final class PostgresWorkflowRepository: WorkflowRepository {
    let pool: PostgresPool

    /// A repository over `pool`'s database.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The columns ``workflow(from:)`` reads, from `workflows w`.
    private static let workflowColumns = """
        w.id::text AS id, coalesce((SELECT username FROM users u WHERE u.id = w.owner_id), '') AS owner, w.name,
        (SELECT max(version) FROM workflow_versions v WHERE v.workflow_id = w.id) AS latest_version, w.created_at, w.updated_at
        """

    public func create(owner: String, name: String, source: String, scheduled: Bool, at: Date) async throws -> WorkflowVersionRecord {
        let created = try await backend {
            try await pool.withTransaction { connection in
                let rows = try await connection.query(
                    PostgresQuery(
                        """
                        INSERT INTO workflows (owner_id, name, dsl, status, scheduled, created_at, updated_at)
                        VALUES (lr_user_id(\(bind: owner)), \(bind: name), \(bind: source), 'ACTIVE', \(bind: scheduled), \(bind: at), \(bind: at))
                        ON CONFLICT DO NOTHING
                        RETURNING id
                        """
                    ).named("create_workflow"))
                guard let id = try rows.first?.decode("id", as: Int64.self) else { return nil as WorkflowVersionRecord? }
                return try await Self.insertVersion(workflowID: id, version: 1, source: source, by: owner, at: at, on: connection)
            }
        }
        guard let created else { throw StoreError.duplicateWorkflow(owner: owner, name: name) }
        return created
    }

    public func addVersion(workflowID: String, source: String, scheduled: Bool, by user: String, at: Date) async throws -> WorkflowVersionRecord? {
        guard let id = Int64(storedID: workflowID) else { return nil }
        return try await backend {
            try await pool.withTransaction { connection in
                // Locks the workflow row: concurrent versions of one workflow are numbered one after the other.
                let locked = try await connection.execute(
                    PostgresQuery(
                        """
                        UPDATE workflows SET dsl = \(bind: source), scheduled = \(bind: scheduled), updated_at = \(bind: at)
                        WHERE id = \(bind: id) AND status <> 'ARCHIVED'
                        """
                    ).named("update_workflow_source"))
                guard locked == 1 else { return nil }
                let next = try await connection.query(
                    "SELECT coalesce(max(version), 0) + 1 AS next FROM workflow_versions WHERE workflow_id = \(bind: id)"
                ).first?.decode("next", as: Int.self) ?? 1
                return try await Self.insertVersion(workflowID: id, version: next, source: source, by: user, at: at, on: connection)
            }
        }
    }

    public func workflow(id: String) async throws -> WorkflowRecord? {
        guard let id = Int64(storedID: id) else { return nil }
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    "SELECT \(trustedSQL: Self.workflowColumns) FROM workflows w WHERE w.id = \(bind: id) AND w.status <> 'ARCHIVED'")
            }
        }
        return try rows.first.map(Self.workflow(from:))
    }

    public func version(workflowID: String, version: Int?) async throws -> WorkflowVersionRecord? {
        guard let id = Int64(storedID: workflowID) else { return nil }
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT \(trustedSQL: Self.versionColumns) FROM workflow_versions v
                    WHERE v.workflow_id = \(bind: id) AND (\(bind: version)::integer IS NULL OR v.version = \(bind: version))
                    ORDER BY v.version DESC LIMIT 1
                    """)
            }
        }
        return try rows.first.map(Self.version(from:))
    }

    public func scheduledWorkflows(limit: Int) async throws -> [WorkflowRecord] {
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT \(trustedSQL: Self.workflowColumns) FROM workflows w
                    WHERE w.status <> 'ARCHIVED' AND w.scheduled IS NOT FALSE
                    ORDER BY w.scheduled IS NULL, CASE WHEN w.scheduled IS NULL THEN -w.id ELSE w.id END
                    LIMIT \(bind: max(0, limit))
                    """)
            }
        }
        return try rows.map(Self.workflow(from:))
    }

    public func workflowCount(owner: String, scheduledOnly: Bool) async throws -> Int {
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT count(*)::integer AS workflows FROM workflows w
                    WHERE w.owner_id = (SELECT id FROM users WHERE username = \(bind: owner)) AND w.status <> 'ARCHIVED'
                      AND (NOT \(bind: scheduledOnly) OR w.scheduled IS NOT FALSE)
                    """)
            }
        }
        return try rows.first?.decode("workflows", as: Int.self) ?? 0
    }

    public func recordSchedule(workflowID: String, scheduled: Bool) async throws {
        guard let id = Int64(storedID: workflowID) else { return }
        _ = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.execute(
                    "UPDATE workflows SET scheduled = \(bind: scheduled) WHERE id = \(bind: id) AND scheduled IS NULL")
            }
        }
    }

    public func workflows(owner: String?, before: String?, limit: Int) async throws -> [WorkflowRecord] {
        let bound = before.map { Int64(storedID: $0) ?? 0 } ?? Int64.max
        let rows = try await retryingLostConnections {
            try await self.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT \(trustedSQL: Self.workflowColumns) FROM workflows w
                    WHERE w.status <> 'ARCHIVED'
                      AND (\(bind: owner)::text IS NULL OR w.owner_id = (SELECT id FROM users WHERE username = \(bind: owner)))
                      AND w.id < \(bind: bound)
                    ORDER BY w.id DESC LIMIT \(bind: max(0, limit))
                    """)
            }
        }
        return try rows.map(Self.workflow(from:))
    }

    public func delete(workflowID: String, at: Date) async throws -> Bool {
        guard let id = Int64(storedID: workflowID) else { return false }
        let archived = try await backend {
            try await pool.withTransaction { connection in
                try await connection.execute(
                    PostgresQuery(
                        """
                        UPDATE workflows SET status = 'ARCHIVED', updated_at = \(bind: at)
                        WHERE id = \(bind: id) AND status <> 'ARCHIVED'
                        """
                    ).named("archive_workflow"))
            }
        }
        return archived == 1
    }

    // MARK: - Rows

    /// The columns ``version(from:)`` reads, from `workflow_versions v`.
    private static let versionColumns = """
        v.workflow_id::text AS workflow_id, v.version, v.definition_source,
        coalesce((SELECT username FROM users u WHERE u.id = v.created_by), '') AS created_by, v.created_at
        """

    /// Inserts one version (inside the caller's transaction) and returns it. `parsed_definition` is
    /// required by the schema; the parsed form is the DSL's business, so it holds only a summary.
    private static func insertVersion(
        workflowID: Int64, version: Int, source: String, by user: String, at: Date, on connection: isolated PostgresConnection
    ) async throws -> WorkflowVersionRecord {
        try await connection.execute(
            PostgresQuery(
                """
                INSERT INTO workflow_versions (workflow_id, version, definition_source, parsed_definition, created_by, created_at)
                VALUES (\(bind: workflowID), \(bind: version), \(bind: source),
                        jsonb_build_object('source_bytes', octet_length(\(bind: source))), lr_user_id(\(bind: user)), \(bind: at))
                """
            ).named("insert_workflow_version"))
        return WorkflowVersionRecord(workflowID: String(workflowID), version: version, source: source, createdBy: user, createdAt: at)
    }

    private static func workflow(from row: PostgresRow) throws -> WorkflowRecord {
        WorkflowRecord(
            id: try row.decode("id"), owner: try row.decode("owner"), name: try row.decode("name"),
            latestVersion: try row.decode("latest_version"), createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }

    private static func version(from row: PostgresRow) throws -> WorkflowVersionRecord {
        WorkflowVersionRecord(
            workflowID: try row.decode("workflow_id"), version: try row.decode("version"), source: try row.decode("definition_source"),
            createdBy: try row.decode("created_by"), createdAt: try row.decode("created_at"))
    }

    private func retryingLostConnections<T>(_ body: () async throws -> T) async throws -> T {
        try await PostgresExecutionStore.retryingLostConnections(pool: pool, body)
    }

    private func backend<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PostgresError { throw StoreError.backend(error.description) }
    }
}
