import DriverSupport

extension PostgresConnection {
    /// Runs `body` inside `BEGIN … COMMIT`; rolls back and rethrows if `body` throws.
    ///
    /// When the connection breaks *before* `COMMIT` is sent (the server restarted), nothing was
    /// committed, so the whole transaction is run again on a new connection, up to
    /// ``PostgresConfiguration/transactionAttempts`` times: `body` must be safe to repeat. When it
    /// breaks while `COMMIT` is in flight the outcome is unknown and the error is thrown, never retried.
    ///
    /// ```swift
    /// let id = try await connection.withTransaction { connection in
    ///     try await connection.execute("UPDATE outbox SET attempts = attempts + 1 WHERE id = \(bind: id)")
    ///     return id
    /// }
    /// ```
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) async throws -> T) async throws -> T {
        var backoff = ReconnectBackoff()
        var attempt = 1
        while true {
            do {
                return try await transaction(body)
            } catch let error as PostgresError
                where error.isConnectionFailure && error.code != PostgresError.transactionResolutionUnknown && attempt < configuration.transactionAttempts
            {
                attempt += 1
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// One attempt: a connection failure is thrown as-is only while `COMMIT` has not been sent.
    private func transaction<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) async throws -> T) async throws -> T {
        try await runScript(trustedSQL: "BEGIN", name: "begin")
        let value: T
        do {
            value = try await body(self)
        } catch {
            if isInTransaction { try? await runScript(trustedSQL: "ROLLBACK", name: "rollback") }
            throw error
        }
        do {
            try await runScript(trustedSQL: "COMMIT", name: "commit")
        } catch let error as PostgresError where error.isConnectionFailure {
            throw PostgresError(code: PostgresError.transactionResolutionUnknown, message: "connection lost during COMMIT: outcome unknown (\(error.message))", query: "commit")
        }
        return value
    }
}
