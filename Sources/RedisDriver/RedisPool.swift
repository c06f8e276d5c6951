import DriverSupport
import Synchronization

/// A small fixed set of ``RedisConnection``s, each on its own thread, lent out one at a time
/// through ``withConnection(isolation:_:)``. A connection the server closed reconnects on its
/// next command, so the pool never hands out a broken one for long.
///
/// Scripts run through ``evaluate(_:keys:arguments:)`` are grouped: while `size` pipelines of
/// them are in flight, further calls wait and go out together as the next pipeline, on the next
/// free connection (a worker takes and releases a task lock per task, from many tasks at once).
/// A script's error reply fails only its own call; an I/O error fails every call of its pipeline
/// (each may or may not have run, as for a single command that fails mid-flight).
///
/// ```swift
/// let pool = try RedisPool(url: ServerSettings.redisURL)
/// let value = try await pool.withConnection { try await $0.command(["GET", "k"]) }
/// ```
public final class RedisPool: Sendable {
    private let lender: ConnectionLender
    private let scripts: SubmissionGroup<ScriptCall, RedisReply>
    /// Number of connections (and threads).
    public let size: Int
    /// The server, password hidden.
    public let description: String

    /// A pool of `size` connections (default 4) that open on first use.
    public init(configuration: RedisConfiguration, size: Int = 4) {
        let size = max(1, size)
        self.size = size
        self.description = configuration.description
        let lender = ConnectionLender(idle: (0..<size).map { _ in RedisConnection(configuration: configuration) })
        self.lender = lender
        scripts = SubmissionGroup(maxSends: size, maxWeight: 128) { calls in
            do {
                let replies = try await lender.withConnection { try await $0.evaluate(pipelined: calls) }
                return replies.map { reply in Result { () throws(RedisError) in try reply.checked(context: "EVALSHA") } }
            } catch {
                return calls.map { _ in .failure(error) }
            }
        }
    }

    /// A pool for a `redis://` URL.
    ///
    /// - Throws: ``RedisError`` with code ``RedisError/Code/invalidURL``.
    public convenience init(url: String, size: Int = 4) throws(RedisError) {
        self.init(configuration: try RedisConfiguration(url: url), size: size)
    }

    /// Lends a connection to `body` and takes it back when `body` returns or throws; waits
    /// (first come, first served) while all are lent. Don't keep the connection past `body`.
    /// The wait ignores cancellation: it is short, since every borrower gives its connection back.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        try await lender.withConnection(body)
    }

    /// Shorthand for one command on a pooled connection.
    public func command(_ arguments: [String]) async throws -> RedisReply {
        try await withConnection { try await $0.command(arguments) }
    }

    /// Runs a script (see ``RedisConnection/evaluate(_:keys:arguments:)``), pipelined with other
    /// calls made at the same time; an error reply is thrown.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisReply {
        try await scripts.submit(ScriptCall(script, keys: keys, arguments: arguments))
    }
}

/// The pool's idle connections and the borrowers waiting for one.
private final class ConnectionLender: Sendable {
    private struct State {
        var idle: [RedisConnection]
        var waiters: [CheckedContinuation<RedisConnection, Never>] = []
    }

    private let state: Mutex<State>

    init(idle: [RedisConnection]) {
        state = Mutex(State(idle: idle))
    }

    func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        let connection = await checkout()
        do {
            let result = try await body(connection)
            checkin(connection)
            return result
        } catch {
            checkin(connection)
            throw error
        }
    }

    private func checkout() async -> RedisConnection {
        if let connection = state.withLock({ $0.idle.popLast() }) { return connection }
        return await withCheckedContinuation { continuation in
            let connection = state.withLock { state -> RedisConnection? in
                if let connection = state.idle.popLast() { return connection }
                state.waiters.append(continuation)
                return nil
            }
            if let connection { continuation.resume(returning: connection) }
        }
    }

    private func checkin(_ connection: RedisConnection) {
        let waiter = state.withLock { state -> CheckedContinuation<RedisConnection, Never>? in
            guard !state.waiters.isEmpty else {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }
}
