import Synchronization

/// A fixed set of ``PostgresConnection``s (``PostgresConfiguration/poolSize``, default 4) lent
/// one caller at a time through ``withConnection(_:)``. Connections connect on first use and
/// reconnect by themselves; a caller waits when all are lent.
///
/// ```swift
/// let pool = PostgresPool(configuration: try .fromEnvironment())
/// let count = try await pool.withConnection { connection in
///     try await connection.query("SELECT count(*) AS n FROM outbox").first?.decode("n", as: Int.self)
/// }
/// ```
public final class PostgresPool: Sendable {
    private struct State {
        var idle: [PostgresConnection]
        var waiters: [CheckedContinuation<PostgresConnection, Never>] = []
    }

    /// The configuration every connection uses.
    public let configuration: PostgresConfiguration
    private let state: Mutex<State>

    /// Creates the pool's connections (they connect on first use).
    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        let connections = (0..<max(1, configuration.poolSize)).map { _ in PostgresConnection(configuration: configuration) }
        state = Mutex(State(idle: connections))
    }

    /// Lends a connection to `body` and takes it back when `body` returns or throws.
    /// Waiting for a free connection is not cancellable.
    @discardableResult
    public func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = await checkOut()
        defer { checkIn(connection) }
        return try await body(connection)
    }

    /// Borrows a connection and runs `body` in a transaction on it (see ``PostgresConnection/withTransaction(_:)``).
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in try await connection.withTransaction(body) }
    }

    private func checkOut() async -> PostgresConnection {
        if let connection = state.withLock({ $0.idle.popLast() }) { return connection }
        return await withCheckedContinuation { continuation in
            let ready: PostgresConnection? = state.withLock { state in
                if let connection = state.idle.popLast() { return connection }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        let waiter: CheckedContinuation<PostgresConnection, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }
}
