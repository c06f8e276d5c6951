public import Foundation
public import WorkflowDrivers

/// The ``APITokenStore`` of distributed mode: the `api_tokens` table (migration 1), whose owner is
/// a `users` row found or created by `lr_user_id` (migration 3). A token's id is its `bigserial`
/// id, as text. Run ``PostgresMigrator`` first.
///
/// ```swift
/// let store = PostgresAPITokenStore(pool: pool)
/// let record = try await store.create(draft)
/// ```
public final class PostgresAPITokenStore: APITokenStore {
    let pool: PostgresPool

    /// A store over `pool`'s database.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    private static let columns = """
        t.id, u.username AS owner, t.name, t.role, t.token_hash, t.created_at, t.last_used_at, t.revoked_at
        """

    public func create(_ draft: APITokenDraft) async throws -> APITokenRecord {
        let rows = try await storeErrors {
            try await pool.withConnection { connection in
                try await connection.query(
                    PostgresQuery(
                        """
                        INSERT INTO api_tokens (token_hash, owner_id, name, role, created_at)
                        VALUES (\(bind: draft.hash), lr_user_id(\(bind: draft.owner)), \(bind: draft.name), \(bind: draft.role),
                                \(bind: draft.createdAt))
                        ON CONFLICT (token_hash) DO NOTHING RETURNING id
                        """
                    ).named("create_api_token"))
            }
        }
        guard let row = rows.first else { throw StoreError.backend("an API token with this hash exists") }
        return APITokenRecord(id: String(try row.decode("id", as: Int64.self)), draft)
    }

    public func token(hash: String) async throws -> APITokenRecord? {
        try await records(
            """
            SELECT \(trustedSQL: Self.columns) FROM api_tokens t JOIN users u ON u.id = t.owner_id
            WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
            """
        ).first
    }

    public func list(owner: String?) async throws -> [APITokenRecord] {
        try await records(
            """
            SELECT \(trustedSQL: Self.columns) FROM api_tokens t JOIN users u ON u.id = t.owner_id
            WHERE \(bind: owner == nil) OR u.username = \(bind: owner ?? "") ORDER BY t.created_at, t.id
            """)
    }

    public func revoke(id: String) async throws -> Bool {
        guard let number = Int64(storedID: id) else { return false }
        let count = try await storeErrors {
            try await pool.withConnection { connection in
                try await connection.execute(
                    "UPDATE api_tokens SET revoked_at = now() WHERE id = \(bind: number) AND revoked_at IS NULL")
            }
        }
        return count == 1
    }

    public func touch(id: String, at date: Date) async throws {
        guard let number = Int64(storedID: id) else { return }
        _ = try await storeErrors {
            try await pool.withConnection { connection in
                try await connection.execute(
                    "UPDATE api_tokens SET last_used_at = greatest(last_used_at, \(bind: date)) WHERE id = \(bind: number)")
            }
        }
    }

    private func records(_ query: PostgresQuery) async throws -> [APITokenRecord] {
        let rows = try await PostgresExecutionStore.retryingLostConnections(pool: pool) {
            try await self.pool.withConnection { connection in try await connection.query(query) }
        }
        return try rows.map { row in
            APITokenRecord(
                id: String(try row.decode("id", as: Int64.self)), owner: try row.decode("owner"), name: try row.decode("name"),
                role: try row.decode("role"), hash: try row.decode("token_hash"), createdAt: try row.decode("created_at"),
                lastUsedAt: try row.decode("last_used_at"), revokedAt: try row.decode("revoked_at"))
        }
    }
}
