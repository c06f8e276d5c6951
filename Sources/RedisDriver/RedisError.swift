/// The one error type of the Redis driver: a ``Code`` to branch on, a message, and context
/// (which server, which command) for logs.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough to branch on.
    public enum Code: String, Sendable {
        /// The connection URL cannot be used.
        case invalidURL
        /// The TCP connection, AUTH or SELECT failed (after the configured reconnect attempts).
        case connectFailed
        /// A read or write failed or timed out; the connection was dropped and reconnects on next use.
        case io
        /// The server answered with an error reply where the caller needed a value.
        case server
        /// The server answered with a reply of an unexpected shape.
        case unexpectedReply
        /// An argument is out of range (a non-positive TTL, a cost above the bucket's capacity).
        case invalidArgument
        /// ``LockWatchdog/withLock(_:ttlMilliseconds:_:)`` could not take the lock: someone holds it.
        case lockUnavailable
        /// The watchdog could not renew the lock in time: someone else may hold it now.
        case lockLost
        /// The benchmark's reference tool (`redis-benchmark`) failed or printed no figure.
        case benchmarkFailed
    }

    /// What went wrong.
    public var code: Code
    /// The server's or hiredis's words, or the driver's own.
    public var message: String
    /// Where it happened: the server (password hidden) and, for commands, the command name.
    public var context: String

    /// An error with `code`, `message` and optional `context`.
    public init(_ code: Code, _ message: String, context: String = "") {
        self.code = code
        self.message = message
        self.context = context
    }

    /// `redis <code>: <message> (<context>)`.
    public var description: String {
        context.isEmpty ? "redis \(code.rawValue): \(message)" : "redis \(code.rawValue): \(message) (\(context))"
    }
}
