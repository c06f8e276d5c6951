import DriverSupport

/// One PostgreSQL connection: an actor whose methods all run on its own OS thread
/// (``ThreadExecutor``), so libpq's blocking calls never stall Swift's cooperative pool and the
/// `PGconn` never leaves it.
///
/// It connects on first use and, after the server restarts, replaces the broken connection on the
/// next call (retrying with backoff for ``PostgresConfiguration/reconnectWindow``). A statement in
/// flight when the connection broke fails with a connection error (``PostgresError/isConnectionFailure``):
/// its outcome is unknown.
///
/// ```swift
/// let connection = PostgresConnection(configuration: try .fromEnvironment())
/// let rows = try await connection.query("SELECT id FROM workflow_executions WHERE status = \(bind: "RUNNING")")
/// ```
public actor PostgresConnection {
    private nonisolated let executor = ThreadExecutor(name: "lazyrabbit.postgres")
    /// Every method runs on the connection's own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Where and how this connection connects.
    public nonisolated let configuration: PostgresConfiguration
    private var handle: LibPQHandle?

    /// A connection that connects on first use.
    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    deinit {
        executor.shutdown()
    }

    /// Runs one statement and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await run { handle in try handle.execute(query) }.rows
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await run { handle in try handle.execute(query) }.affectedRows
    }

    /// Runs statements in libpq's pipeline mode: all sent, then all results read, in one round
    /// trip and one implicit transaction (outside ``withTransaction(_:)``, a failure rolls them all back).
    ///
    /// - Returns: One result per query, in order.
    /// - Throws: The first statement's error; nothing of the batch is kept.
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresResult] {
        guard !queries.isEmpty else { return [] }
        return try await run { handle in try handle.pipeline(queries) }
    }

    /// Runs SQL text without parameters, possibly several statements (migrations, DDL).
    /// The text must be trusted: nothing in it is escaped.
    public func runScript(trustedSQL sql: String, name: String) async throws {
        try await run { handle in try handle.runScript(sql, label: name) }
    }

    /// `true` when a transaction block is open on the current connection.
    var isInTransaction: Bool { handle.map { !$0.isBroken && $0.isInTransaction } ?? false }

    /// Runs `body` on a live connection; a broken connection is dropped so that the next call reconnects.
    private func run<T>(_ body: (LibPQHandle) throws -> T) async throws -> T {
        let handle = try await connected()
        do {
            return try body(handle)
        } catch {
            if handle.isBroken || (error as? PostgresError)?.isConnectionFailure == true { self.handle = nil }
            throw error
        }
    }

    /// The current connection, or a new one: retried with backoff for the reconnect window.
    private func connected() async throws -> LibPQHandle {
        handle?.readIdleInput()
        if let handle, !handle.isBroken { return handle }
        handle = nil
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.reconnectWindow
        var backoff = ReconnectBackoff()
        while true {
            switch Result(catching: { () throws(PostgresError) in try LibPQHandle(parameters: configuration.connectionParameters) }) {
            case .success(let fresh):
                handle = fresh
                return fresh
            case .failure(let error):
                guard error.isConnectionFailure, clock.now < deadline, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: backoff.next())
                if let handle, !handle.isBroken { return handle }
            }
        }
    }
}
